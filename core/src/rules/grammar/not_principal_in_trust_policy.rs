use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `NotPrincipal` in a role trust policy. Access Analyzer:
    /// `ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL`.
    ///
    /// ## Why it matters
    /// IAM does not support `NotPrincipal` in trust policies and rejects the policy; with
    /// `Allow` it would mean "every AWS principal except these", the opposite of a trust policy
    /// that names the vendor. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `Principal` naming exactly who may assume the role: for BYOK, the vendor's
    /// service role ARN.
    pub(crate) static RULE = {
        code: "G017",
        name: "not-principal-in-trust-policy",
        severity: Error,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(principal) = statement.principal.as_ref().filter(|p| p.negated) else {
            continue;
        };
        let vendor = doc
            .context
            .vendor_role_arn()
            .unwrap_or("arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME");
        sink.report(
            &RULE,
            principal.key_span,
            format!(
                "`NotPrincipal` is not allowed in a role trust policy ({})",
                statement.label()
            ),
            Some(format!(
                "write `\"Principal\": {{\"AWS\": \"{vendor}\"}}` naming who may assume the role"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind, context: &Context) -> Vec<Finding> {
        crate::check(text, kind, context)
            .findings
            .into_iter()
            .filter(|f| f.code == "G017")
            .collect()
    }

    const TEXT: &str = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\",\n \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"sts:AssumeRole\"}]}";

    #[test]
    fn names_the_vendor_role_from_the_context() {
        let found = findings(TEXT, DocumentKind::Trust, &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`NotPrincipal` is not allowed in a role trust policy (statement 0)"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("write `\"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Servers-Role\"}` naming who may assume the role")
        );
        assert_eq!((f.line, f.column), (2, 2));
    }

    #[test]
    fn uses_a_placeholder_without_context_and_ignores_key_policies() {
        let found = findings(TEXT, DocumentKind::Trust, &Context::default());
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .contains("arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME"));
        assert!(findings(TEXT, DocumentKind::Key, &Context::example()).is_empty());
    }
}
