use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// An STS assumed-role session ARN (`arn:aws:sts::ACCOUNT_ID:assumed-role/ROLE/SESSION`), as
    /// `aws sts get-caller-identity` prints it inside a role session, given where the role ARN belongs.
    ///
    /// ## Why it matters
    /// A session ARN names one session, not the role: the vendor cannot assume it. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:sts::210987654321:assumed-role/BYOK_Role/session-1
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Write the role ARN the help shows (`arn:aws:iam::ACCOUNT_ID:role/ROLE`). A session ARN drops the
    /// role's path: if the role has one (`role/PATH/ROLE`), copy its ARN from the IAM console instead.
    pub(crate) static RULE = {
        code: "A009",
        name: "assumed-role-session-arn",
        severity: Error,
        kinds: [RoleArn],
        check: None,
    };
}
