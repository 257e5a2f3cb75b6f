use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `Principal` or `NotPrincipal` in an IAM identity policy. Access Analyzer:
    /// `UNSUPPORTED_PRINCIPAL`.
    ///
    /// ## Why it matters
    /// An identity policy applies to the role, user or group it is attached to, so it has no
    /// principal; IAM rejects the policy. It usually means a key or trust policy statement was
    /// pasted into the role's permissions. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the element. Say who may assume the role in its trust policy, and who may use the
    /// key in the key policy.
    pub(crate) static RULE = {
        code: "G016",
        name: "principal-in-identity-policy",
        severity: Error,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(principal) = &statement.principal else {
            continue;
        };
        let element = if principal.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        sink.report(
            &RULE,
            principal.key_span,
            format!(
                "`{element}` is not allowed in an IAM identity policy: the policy applies to the identity it is attached to"
            ),
            Some(format!(
                "remove `{element}` from {}; name who may assume the role in its trust policy, and who may use the key in the key policy",
                statement.label()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G016")
            .collect()
    }

    #[test]
    fn points_at_the_element_key() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Use\", \"Effect\": \"Deny\",\n  \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}";
        let found = findings(text, DocumentKind::Iam);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`NotPrincipal` is not allowed in an IAM identity policy: the policy applies to the identity it is attached to"
        );
        assert!(f
            .help
            .as_deref()
            .unwrap()
            .starts_with("remove `NotPrincipal` from statement `Use`"));
        assert_eq!((f.line, f.column), (2, 3));
        assert_eq!(&text[f.span.start..f.span.end], "\"NotPrincipal\"");
    }

    #[test]
    fn principals_belong_in_key_policies() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Key).is_empty());
        assert_eq!(findings(text, DocumentKind::Iam).len(), 1);
    }
}
