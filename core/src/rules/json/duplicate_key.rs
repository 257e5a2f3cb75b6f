use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// The same key twice in one JSON object, for example two `Condition` blocks in a statement
    /// or two `sts:ExternalId` keys under one operator.
    ///
    /// ## Why it matters
    /// "Individual elements must not contain multiple instances of the same key" (IAM grammar).
    /// Most JSON parsers silently keep the last copy, so what a reviewer reads is not what is
    /// enforced: a trust policy with two `Condition` keys may lose its External ID check. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:DescribeKey", "kms:Decrypt"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Merge the two members into one (for `Action`, one array; for `Condition`, one object).
    pub(crate) static RULE = {
        code: "J005",
        name: "duplicate-key",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
