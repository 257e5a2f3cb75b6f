use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A document larger than 256 KiB (262,144 bytes), byokcheck's input limit.
    ///
    /// ## Why it matters
    /// IAM and KMS refuse documents over 131,072 characters, and far smaller quotas apply to
    /// each kind (see `policy-size-over-quota`). Error: such a document cannot be deployed, and
    /// byokcheck does not parse it at all, so that hostile input costs nothing.
    ///
    /// ## Bad
    /// ```json
    /// (any document over 262,144 bytes)
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Split the permissions over several policies or remove what is not needed.
    pub(crate) static RULE = {
        code: "J002",
        name: "document-too-large",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
