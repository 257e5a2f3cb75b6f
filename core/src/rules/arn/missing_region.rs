use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A key ARN with an empty region field (`arn:aws:kms::…`), or with no region field at all.
    ///
    /// ## Why it matters
    /// KMS keys are regional: a key ARN without its region names no key. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms::210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Write the key's region between `kms:` and the account id; the KMS console shows the full ARN.
    pub(crate) static RULE = {
        code: "A010",
        name: "missing-region",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
