use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A key ARN region shaped like a region of its partition (`us-east-7`, or a typo that keeps
    /// that shape, `us-est-1`) that is not in byokcheck's built-in list of regions.
    ///
    /// ## Why it matters
    /// AWS opens new regions, so the region may be real and newer than the list; or it is a typo and the
    /// ARN names no key. byokcheck cannot tell, so it warns. Warning.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:us-east-7:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Check the region in the key's ARN in the KMS console (the help suggests the closest known
    /// region); if it is right, ignore the warning.
    pub(crate) static RULE = {
        code: "A012",
        name: "unknown-region",
        severity: Warning,
        kinds: [KeyArn],
        check: None,
    };
}
