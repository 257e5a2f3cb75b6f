use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A role ARN with a region between `iam:` and the account id (`arn:aws:iam:us-east-1:…`).
    ///
    /// ## Why it matters
    /// IAM is global: role ARNs have an empty region field, and an ARN with one matches no role, so
    /// the vendor's `sts:AssumeRole` fails. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:iam:us-east-1:210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Remove the region, keeping both colons: `arn:aws:iam::ACCOUNT_ID:role/NAME`.
    pub(crate) static RULE = {
        code: "A006",
        name: "region-in-role-arn",
        severity: Error,
        kinds: [RoleArn],
        check: None,
    };
}
