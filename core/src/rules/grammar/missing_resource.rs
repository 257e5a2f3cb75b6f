use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement of an identity or key policy without `Resource` or `NotResource`.
    /// Access Analyzer: `MISSING_RESOURCE`. (Trust policies have no `Resource`.)
    ///
    /// ## Why it matters
    /// IAM rejects such an identity policy. KMS accepts such a key policy statement, and it
    /// silently has no effect. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// In a key policy add `"Resource": "*"` (it means this key); in an IAM policy add the key ARN.
    pub(crate) static RULE = {
        code: "G008",
        name: "missing-resource",
        severity: Error,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.resource.is_some() {
            continue;
        }
        let (message, help) = if doc.kind == DocumentKind::Key {
            (
                format!(
                    "{} has no `Resource` element: KMS accepts it, but the statement has no effect",
                    statement.label()
                ),
                "add `\"Resource\": \"*\"` (in a key policy it means this key)".to_string(),
            )
        } else {
            (
                format!(
                    "{} has no `Resource` or `NotResource` element",
                    statement.label()
                ),
                match doc.context.cmk_arn() {
                    Some(cmk) => format!("add `\"Resource\": \"{cmk}\"`"),
                    None => {
                        "add `\"Resource\": \"arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID\"`".into()
                    }
                },
            )
        };
        sink.report(&RULE, statement.span, message, Some(help));
    }
}

#[cfg(test)]
mod tests {
    use crate::{check, Context, DocumentKind};

    fn message(kind: DocumentKind) -> String {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt"}]}"#;
        let found: Vec<_> = check(text, kind, &Context::default())
            .findings
            .into_iter()
            .filter(|f| f.code == RULE_CODE)
            .collect();
        assert_eq!(found.len(), 1, "{kind:?}: {found:#?}");
        found.into_iter().next().unwrap().message
    }

    const RULE_CODE: &str = super::RULE.meta.code;

    #[test]
    fn in_a_key_policy_the_statement_is_accepted_but_ineffective() {
        assert!(message(DocumentKind::Key).ends_with(
            "has no `Resource` element: KMS accepts it, but the statement has no effect"
        ));
        assert!(!message(DocumentKind::Iam).contains("KMS accepts it"));
    }
}
