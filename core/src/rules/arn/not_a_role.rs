use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// An IAM ARN where the role ARN belongs that names something else: a user (`user/NAME`), a group, a
    /// managed policy, the account itself (`root`), an instance profile, an identity provider, an STS
    /// federated user, or `Role/NAME` and `roles/NAME` for `role/NAME`.
    ///
    /// ## Why it matters
    /// The vendor can only assume a role; with any other ARN its `sts:AssumeRole` fails. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:iam::210987654321:user/alice
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Give the ARN of the BYOK role you created for the vendor: `arn:aws:iam::ACCOUNT_ID:role/NAME`.
    pub(crate) static RULE = {
        code: "A008",
        name: "not-a-role",
        severity: Error,
        kinds: [RoleArn],
        check: None,
    };
}
