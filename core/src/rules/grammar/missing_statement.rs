use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A policy without a `Statement` element, or with an empty `Statement` array.
    /// Access Analyzer: `MISSING_STATEMENT`.
    ///
    /// ## Why it matters
    /// IAM and KMS reject a policy without statements. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": []}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the statements the setup needs; `byokcheck generate` writes them.
    pub(crate) static RULE = {
        code: "G004",
        name: "missing-statement",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let policy = doc.policy;
    if !policy.statements.is_empty() {
        return;
    }
    let (span, message) = match policy.statement_key {
        Some(key) => (key, "the `Statement` element holds no statement"),
        None => (policy.span, "the policy has no `Statement` element"),
    };
    sink.report(
        &RULE,
        span,
        message,
        Some("add `\"Statement\": [{\"Effect\": \"Allow\", ...}]`".into()),
    );
}
