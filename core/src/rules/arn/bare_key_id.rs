use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A bare key id (a UUID, or `mrk-…` for a multi-Region key), or `key/KEY_ID`, where the full key
    /// ARN belongs.
    ///
    /// ## Why it matters
    /// A key id alone does not say the key's region or account; cross-account use needs the full ARN.
    /// Error.
    ///
    /// ## Bad
    /// ```text
    /// 1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Write `arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID` with the key's region and account, or print the
    /// ARN with `aws kms describe-key --key-id KEY_ID --query KeyMetadata.Arn --output text`.
    pub(crate) static RULE = {
        code: "A016",
        name: "bare-key-id",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
