use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// White space, a line break or an invisible character (U+200B, U+FEFF) before or after the ARN,
    /// the ARN wrapped in quotes, or a stray quote or comma at one end (`"arn:…",` copied out of JSON). The
    /// rest of the check runs on the ARN without them.
    ///
    /// ## Why it matters
    /// Most tools trim white space, but not all; a quote or an invisible character pasted into a form
    /// makes an ARN that matches nothing. byokcheck checks the trimmed ARN, so it warns. Warning.
    ///
    /// ## Bad
    /// ```text
    /// "arn:aws:iam::210987654321:role/BYOK_Role"
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Paste the ARN alone; the help shows it.
    pub(crate) static RULE = {
        code: "A018",
        name: "surrounding-whitespace",
        severity: Warning,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
