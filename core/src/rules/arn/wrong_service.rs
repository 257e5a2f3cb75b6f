use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A role ARN whose service is not `iam`, or a key ARN whose service is not `kms`: most often the
    /// two ARNs swapped between the role field and the key field, or the service written in upper case.
    ///
    /// ## Why it matters
    /// The vendor assumes the role and uses the key by these ARNs; an ARN of another service names neither,
    /// so the setup cannot work. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:iam::210987654321:role/BYOK_Role
    /// ```
    ///
    /// ## How to fix
    /// Give the IAM role ARN (`arn:aws:iam::ACCOUNT_ID:role/NAME`) as the role and the KMS key ARN
    /// (`arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID`) as the key; write services in lower case.
    pub(crate) static RULE = {
        code: "A003",
        name: "wrong-service",
        severity: Error,
        kinds: [RoleArn, KeyArn],
        check: None,
    };
}
