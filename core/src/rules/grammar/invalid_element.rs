use crate::rules::declare_rule;

declare_rule! {
    /// ## What it catches
    /// A member name that is not a policy element where it stands: a typo (`Actions`), a case
    /// variant (`action`), or an element from elsewhere. Access Analyzer: `INVALID_POLICY_ELEMENT`.
    ///
    /// ## Why it matters
    /// IAM rejects the policy; some tools silently drop the member, so a `Conditon` typo would
    /// remove the External ID check. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Use the element the message suggests; element names are case-sensitive.
    pub(crate) static RULE = {
        code: "G001",
        name: "invalid-element",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: None,
    };
}
