use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A key ARN region that is not a region name of any partition: a region without its number
    /// (`us-east`), upper case (`US-EAST-1`), a place name (`virginia`) or placeholder text
    /// (`REGION`). A typo that keeps the form of a region (`us-est-1`) is `unknown-region`.
    ///
    /// ## Why it matters
    /// No region has such a name, so the ARN names no key and the vendor cannot use it. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:us-east:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Write the key's region (like `us-east-1`); the help suggests the closest known region.
    pub(crate) static RULE = {
        code: "A020",
        name: "invalid-region",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
