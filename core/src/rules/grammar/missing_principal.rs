use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement of a trust or key policy without `Principal` or `NotPrincipal`.
    /// Access Analyzer: `MISSING_PRINCIPAL`.
    ///
    /// ## Why it matters
    /// Resource policies say who they apply to; IAM and KMS reject a statement without a
    /// principal. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `"Principal": {"AWS": "<ARN>"}` naming who the statement is for.
    pub(crate) static RULE = {
        code: "G009",
        name: "missing-principal",
        severity: Error,
        kinds: [Key, Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.principal.is_none() {
            sink.report(
                &RULE,
                statement.span,
                format!("{} has no `Principal` element", statement.label()),
                Some("add `\"Principal\": {\"AWS\": \"<ARN>\"}`".into()),
            );
        }
    }
}
