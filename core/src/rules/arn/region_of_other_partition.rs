use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A key ARN whose region belongs to another partition than its own: `arn:aws:kms:cn-north-1:…`
    /// (China Regions are in `aws-cn`) or `arn:aws-cn:kms:us-east-1:…`.
    ///
    /// ## Why it matters
    /// No key has such an ARN, and partitions cannot reach each other, so the vendor cannot use the key.
    /// Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:cn-north-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Write the partition the region belongs to (the help shows the ARN), or the key's real region.
    pub(crate) static RULE = {
        code: "A011",
        name: "region-of-other-partition",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
