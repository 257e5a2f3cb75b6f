use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement written with `"Sid": ""`. Access Analyzer: `EMPTY_SID_VALUE`.
    ///
    /// ## Why it matters
    /// An empty `Sid` names nothing; it is usually a template placeholder left unfilled. It
    /// has no effect on access, so Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "UseKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the statement (letters and digits, such as `UseKey`) or remove the `Sid` member.
    pub(crate) static RULE = {
        code: "G015",
        name: "empty-sid",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if let Some(sid) = statement.sid.filter(|s| s.value.is_empty()) {
            sink.report(
                &RULE,
                sid.span,
                format!("statement {} has an empty `Sid`", statement.index),
                Some(
                    "name the statement, such as `\"Sid\": \"UseKey\"`, or remove the `Sid` member"
                        .into(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G015")
            .collect()
    }

    #[test]
    fn reports_the_empty_string_in_every_kind() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n{\"Sid\": \"X\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},\n{\"Sid\": \"\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}";
        for kind in [DocumentKind::Key, DocumentKind::Iam, DocumentKind::Trust] {
            let found = findings(text, kind);
            assert_eq!(found.len(), 1, "{kind}");
            assert_eq!(found[0].message, "statement 1 has an empty `Sid`");
            assert_eq!((found[0].line, found[0].column), (3, 9));
        }
    }

    #[test]
    fn a_missing_sid_is_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }
}
