use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// An account id that is not 12 digits: written with hyphens as the console's account menu shows it
    /// (`1234-5678-9012`), 11 digits (a leading zero dropped by a spreadsheet or a number field), 13 digits,
    /// letters (`O` for `0`), a wildcard, or placeholder text left from a guide (`ACCOUNT_ID`,
    /// `<your-account-id>`). Placeholder text is an error here, not a `placeholder-account-id` warning,
    /// because it can never be an account.
    ///
    /// ## Why it matters
    /// An ARN with such an account id names no account: IAM rejects it, and the vendor cannot assume the
    /// role or use the key. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:iam::1234-5678-9012:role/BYOK_Role
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Write the 12 digits alone; the help shows them when they can be recovered.
    /// `aws sts get-caller-identity --query Account --output text` prints your account id.
    pub(crate) static RULE = {
        code: "A004",
        name: "invalid-account-id",
        severity: Error,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
