use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// An element whose JSON type is wrong: `Version` as a number, `Action` as an object,
    /// a statement that is a string, a condition value that is an object or `null`.
    /// Access Analyzer: `DATA_TYPE_MISMATCH`.
    ///
    /// ## Why it matters
    /// IAM rejects the policy with `MalformedPolicyDocument`. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": {"kms": "Decrypt"}, "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the value with the type the message names: strings for names, ARNs and actions;
    /// an array of strings for several.
    pub(crate) static RULE = {
        code: "G002",
        name: "data-type-mismatch",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
