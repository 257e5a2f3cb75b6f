use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `Resource` or `NotResource` in a role trust policy. Access Analyzer:
    /// `ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE`.
    ///
    /// ## Why it matters
    /// A trust policy applies to the role it is attached to, so it names no resource; IAM
    /// rejects the policy. It usually means an identity or key policy statement was pasted into
    /// the trust relationship. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/BYOK_Role", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the element: the role is the resource.
    pub(crate) static RULE = {
        code: "G019",
        name: "resource-in-trust-policy",
        severity: Error,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        let element = resource.name("Resource", "NotResource");
        sink.report(
            &RULE,
            resource.key_span,
            format!(
                "`{element}` is not allowed in a role trust policy: it applies to the role it is attached to"
            ),
            Some(format!("remove `{element}` from {}", statement.label())),
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
            .filter(|f| f.code == "G019")
            .collect()
    }

    #[test]
    fn reports_not_resource_at_its_key() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Servers-Role\"}, \"Action\": \"sts:AssumeRole\",\n    \"NotResource\": \"*\"}]}";
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`NotResource` is not allowed in a role trust policy: it applies to the role it is attached to"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("remove `NotResource` from statement 0")
        );
        assert_eq!((f.line, f.column), (2, 5));
    }

    #[test]
    fn key_policies_need_resource() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Key).is_empty());
    }
}
