use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// An availability zone (`us-east-1a`) where a key ARN has its region (`us-east-1`).
    ///
    /// ## Why it matters
    /// ARNs name regions, never zones: the ARN names no key. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:us-east-1a:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Drop the zone letter: write the region the help shows.
    pub(crate) static RULE = {
        code: "A013",
        name: "availability-zone-as-region",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
