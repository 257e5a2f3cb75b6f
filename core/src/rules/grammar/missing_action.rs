use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement without `Action` or `NotAction`. Access Analyzer: `MISSING_ACTION`.
    ///
    /// ## Why it matters
    /// IAM rejects such a policy. KMS is worse: it accepts a key policy whose statement lacks
    /// `Action`, and the statement silently has no effect, so the role you meant to grant gets
    /// nothing. Error in every kind.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the actions the statement is meant to allow or deny.
    pub(crate) static RULE = {
        code: "G007",
        name: "missing-action",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.action.is_some() {
            continue;
        }
        let message = if doc.kind == DocumentKind::Key {
            format!(
                "{} has no `Action` element: KMS accepts it, but the statement has no effect",
                statement.label()
            )
        } else {
            format!(
                "{} has no `Action` or `NotAction` element",
                statement.label()
            )
        };
        let help = match doc.kind {
            DocumentKind::Trust => "add `\"Action\": \"sts:AssumeRole\"`",
            _ => "add `\"Action\": [...]` with the actions the statement is for",
        };
        sink.report(&RULE, statement.span, message, Some(help.into()));
    }
}

#[cfg(test)]
mod tests {
    use crate::{check, Context, DocumentKind};

    fn help(kind: DocumentKind) -> Option<String> {
        finding(kind).help
    }

    fn finding(kind: DocumentKind) -> crate::Finding {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Resource": "*"}]}"#;
        let found: Vec<_> = check(text, kind, &Context::default())
            .findings
            .into_iter()
            .filter(|f| f.code == "G007")
            .collect();
        assert_eq!(found.len(), 1, "{kind:?}: {found:#?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn in_a_key_policy_the_statement_is_accepted_but_ineffective() {
        assert!(finding(DocumentKind::Key)
            .message
            .ends_with("has no `Action` element: KMS accepts it, but the statement has no effect"));
        assert!(finding(DocumentKind::Trust)
            .message
            .ends_with("has no `Action` or `NotAction` element"));
    }

    #[test]
    fn the_help_names_what_the_kind_needs() {
        assert_eq!(
            help(DocumentKind::Trust).as_deref(),
            Some("add `\"Action\": \"sts:AssumeRole\"`")
        );
        assert_eq!(
            help(DocumentKind::Iam).as_deref(),
            Some("add `\"Action\": [...]` with the actions the statement is for")
        );
    }
}
