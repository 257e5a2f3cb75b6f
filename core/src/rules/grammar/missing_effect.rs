use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement without an `Effect` element. Access Analyzer: `MISSING_EFFECT`.
    ///
    /// ## Why it matters
    /// IAM rejects the policy: every statement must say whether it allows or denies. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `"Effect": "Allow"` (or `"Deny"`).
    pub(crate) static RULE = {
        code: "G005",
        name: "missing-effect",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.effect.is_none() {
            sink.report(
                &RULE,
                statement.span,
                format!("{} has no `Effect` element", statement.label()),
                Some("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`".into()),
            );
        }
    }
}
