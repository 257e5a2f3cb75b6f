use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// Text that is not an ARN at all where a role ARN or a key ARN belongs: an account id alone, a
    /// console URL, a role name alone, a JSON document, an ARN of another service, or empty text.
    ///
    /// ## Why it matters
    /// The vendor needs the two ARNs to assume the role and use the key; anything else cannot work.
    /// Error.
    ///
    /// ## Bad
    /// ```text
    /// 210987654321
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Give the role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) and the key ARN
    /// (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`); the help says how to build one from what was given.
    pub(crate) static RULE = {
        code: "A019",
        name: "not-an-arn",
        severity: Error,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
