use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A role name that IAM cannot have: empty, longer than 64 characters, or with a character outside
    /// letters, digits and `+=,.@_-` (a space, a wildcard, placeholder text like `<role-name>`); or a role
    /// path that is not printable ASCII between slashes, is empty (`role//NAME`) or is longer than 512
    /// characters.
    ///
    /// ## Why it matters
    /// No role can have such a name or path, so the ARN names no role and `sts:AssumeRole` fails. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK Role
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Copy the role ARN from the IAM console (Roles, then the role's summary) rather than typing it.
    pub(crate) static RULE = {
        code: "A007",
        name: "invalid-role-name",
        severity: Error,
        kinds: [RoleArn],
        check: None,
    };
}
