use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// Text that is not valid JSON: a missing comma or quote, a trailing comma, a comment,
    /// single quotes, a raw control character inside a string, an empty document, or more than
    /// one value. Access Analyzer: `JSON_SYNTAX_ERROR`.
    ///
    /// ## Why it matters
    /// IAM and KMS reject the document with `MalformedPolicyDocument`. Error: nothing else in the
    /// document can be checked until it parses.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [],}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Fix the text at the position shown. Policies are strict JSON: no comments, no trailing
    /// commas, double quotes only.
    pub(crate) static RULE = {
        code: "J001",
        name: "json-syntax",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
