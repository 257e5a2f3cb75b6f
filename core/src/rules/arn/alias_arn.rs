use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A KMS alias ARN (`arn:aws:kms:REGION:ACCOUNT_ID:alias/NAME`) where the key ARN belongs.
    ///
    /// ## Why it matters
    /// IAM policies and key grants name keys by key ARN: a permission on an alias ARN does not cover
    /// using the key, and an alias can later point at another key. The vendor needs the key ARN. Error.
    ///
    /// ## Bad
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:alias/byok-key
    /// ```
    ///
    /// ## Good
    /// ```text
    /// arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## How to fix
    /// Find the key ARN with `aws kms describe-key --key-id alias/NAME --region REGION --query
    /// KeyMetadata.Arn --output text` and give that.
    pub(crate) static RULE = {
        code: "A014",
        name: "alias-arn",
        severity: Error,
        kinds: [KeyArn],
        check: None,
    };
}
