use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// Arrays and objects nested more than 64 levels deep, byokcheck's input limit.
    ///
    /// ## Why it matters
    /// A valid policy nests at most 6 levels; deeper nesting is never a policy and is how
    /// parsers are made to overflow their stack. Error: the document is refused unparsed.
    ///
    /// ## Bad
    /// ```json
    /// {"Statement": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the extra nesting.
    pub(crate) static RULE = {
        code: "J003",
        name: "nesting-too-deep",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
