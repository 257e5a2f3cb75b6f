use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A bare alias name (`alias/NAME`) where the key ARN belongs.
    ///
    /// ## Why it matters
    /// An alias name is neither a key ARN nor stable (it can point at another key later); the vendor
    /// needs the key ARN. Error.
    ///
    /// ## Bad
    /// ```text
    /// alias/byok-key
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Find the key ARN with `aws kms describe-key --key-id alias/NAME --query KeyMetadata.Arn --output
    /// text` and give that.
    pub(crate) static RULE = {
        code: "A015",
        name: "alias-name",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
