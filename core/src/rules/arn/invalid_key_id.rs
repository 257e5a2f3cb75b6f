use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A key id after `key/` that is neither a lower-case UUID (8-4-4-4-12 hex digits) nor `mrk-` and 32
    /// hex digits: upper-case hex, a multi-Region id with dashes (`mrk-1234abcd-…`), a UUID without dashes,
    /// groups of the wrong lengths, other characters, a wildcard, or placeholder text (`KEY_ID`).
    ///
    /// ## Why it matters
    /// No key has such an id. Upper case matters too: AWS writes key ids in lower case and compares ARNs
    /// in policies case-sensitively, so an upper-case ARN matches nothing. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234ABCD-12AB-34CD-56EF-1234567890AB
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Write the id the help shows, or copy the key ARN from the KMS console.
    pub(crate) static RULE = {
        code: "A017",
        name: "invalid-key-id",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
