use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A partition other than `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`,
    /// `aws-iso-f` and `aws-eusc`, including an empty one and upper-case `AWS`.
    ///
    /// ## Why it matters
    /// No ARN exists in an unknown partition, and trust cannot cross partitions, so the vendor can reach
    /// nothing with it. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:AWS:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Write `aws` for the commercial Regions, `aws-cn` for the China Regions and `aws-us-gov` for
    /// GovCloud. For a key ARN the help takes the partition from the key's region.
    pub(crate) static RULE = {
        code: "A002",
        name: "unknown-partition",
        severity: Error,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
