use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// Text meant as an ARN that does not have the structure `arn:partition:service:region:account:resource`:
    /// fewer than six `:`-separated fields (`iam:` with one colon where IAM ARNs have `iam::`), an upper-case
    /// `ARN:` prefix, an ARN whose `arn:` was lost in copying, nothing after the account id, or a resource
    /// not written `role/NAME` or `key/KEY_ID` (`role:NAME`, `keys/ID`, a key id without `key/`).
    ///
    /// ## Why it matters
    /// IAM and KMS reject such an ARN (`MalformedPolicyDocument`, `InvalidArnException`), so the vendor's
    /// first call with it fails. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:iam:210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Copy the ARN from the console (IAM: Roles, the role's summary; KMS: the key's General
    /// configuration). When the mistake is recognisable, the help shows the corrected ARN.
    pub(crate) static RULE = {
        code: "A001",
        name: "malformed-arn",
        severity: Error,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
