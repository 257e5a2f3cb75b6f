use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A document whose top level is an array, a string, a number or `null` instead of an object.
    ///
    /// ## Why it matters
    /// A policy is a JSON object with `Version` and `Statement`; pasting only the statement
    /// array, or a JSON-encoded string of the policy (as some APIs return it), is refused. Error.
    ///
    /// ## Bad
    /// ```json
    /// [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Wrap statements in `{"Version": "2012-10-17", "Statement": [...]}`; decode a
    /// JSON-encoded policy string first.
    pub(crate) static RULE = {
        code: "J006",
        name: "not-an-object",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
