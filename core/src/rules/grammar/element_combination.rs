use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A statement with both elements of a pair: `Action` and `NotAction`, `Resource` and
    /// `NotResource`, or `Principal` and `NotPrincipal`. Access Analyzer:
    /// `UNSUPPORTED_ELEMENT_COMBINATION`.
    ///
    /// ## Why it matters
    /// IAM rejects the policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "NotAction": "kms:Encrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep one element of the pair; prefer the positive form.
    pub(crate) static RULE = {
        code: "G003",
        name: "element-combination",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
