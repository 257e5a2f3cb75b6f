use crate::finding::DocumentKind;
use crate::policy::{Checked, PrincipalKind, PrincipalValue};
use crate::rules::{declare_rule, Sink};

use super::invalid_principal::is_partial_wildcard;

declare_rule! {
    /// ## What it catches
    /// `*` or `?` inside a principal value, such as `arn:aws:iam::358587034707:role/*` or
    /// `*.amazonaws.com`. Access Analyzer: `UNSUPPORTED_WILDCARD_IN_PRINCIPAL`. The full
    /// wildcard `"*"` is valid syntax and other rules judge whether it is safe.
    ///
    /// ## Why it matters
    /// Principals do not match patterns: IAM and KMS reject the policy. The intent, "every
    /// role of that account", needs a different form. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the exact principal. To admit several roles of one account, name the account
    /// (`"AWS": "358587034707"`) and narrow it with an `ArnLike` condition on `aws:PrincipalArn`.
    pub(crate) static RULE = {
        code: "G021",
        name: "wildcard-in-principal",
        severity: Error,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        // A bare string other than `"*"` is already invalid as a whole (`invalid-principal`).
        let Some(PrincipalValue::Map(entries)) = statement.principal.as_ref().map(|p| &p.value)
        else {
            continue;
        };
        for entry in entries {
            for value in entry.values.items.iter() {
                if !is_partial_wildcard(value.value) {
                    continue;
                }
                let help = match entry.kind {
                    Some(PrincipalKind::Aws) => {
                        let example = match doc.kind {
                            DocumentKind::Trust => doc.context.vendor_role_arn(),
                            _ => doc.context.role_arn(),
                        }
                        .unwrap_or("arn:aws:iam::111122223333:role/NAME");
                        format!(
                            "name the exact principal, such as `{example}`; to admit several roles of one account, name the account and add an `ArnLike` condition on `aws:PrincipalArn`"
                        )
                    }
                    Some(PrincipalKind::Service) => {
                        "name the exact service principal, such as `ec2.amazonaws.com`".into()
                    }
                    _ => "name the exact principal".into(),
                };
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` has a wildcard; `{}` principals are matched exactly, so only the full `\"*\"` is accepted",
                        value.value, entry.key.value
                    ),
                    Some(help),
                );
            }
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
            .filter(|f| f.code == "G021")
            .collect()
    }

    fn key_policy(principal: &str) -> String {
        format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\",\n  \"Principal\": {principal}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}}]}}"
        )
    }

    #[test]
    fn reports_each_partial_wildcard() {
        let text = key_policy(
            r#"{"AWS": ["arn:aws:iam::111122223333:role/BYOK_Role", "arn:aws:iam::111122223333:role/BYOK?"], "Service": "*.amazonaws.com"}"#,
        );
        let found = findings(&text, DocumentKind::Key);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "`arn:aws:iam::111122223333:role/BYOK?` has a wildcard; `AWS` principals are matched exactly, so only the full `\"*\"` is accepted"
        );
        assert_eq!((found[0].line, found[0].column), (2, 69));
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`arn:aws:iam::111122223333:role/BYOK_Role`"));
        assert!(found[1]
            .message
            .starts_with("`*.amazonaws.com` has a wildcard; `Service`"));
    }

    #[test]
    fn the_full_wildcard_is_not_this_rules_business() {
        assert!(findings(&key_policy(r#""*""#), DocumentKind::Key).is_empty());
        assert!(findings(&key_policy(r#"{"AWS": "*"}"#), DocumentKind::Key).is_empty());
        // A bare pattern is reported once, by `invalid-principal`.
        assert!(findings(&key_policy(r#""arn:aws:iam::1:role/*""#), DocumentKind::Key).is_empty());
    }

    #[test]
    fn the_help_names_an_example_of_the_principal_kind() {
        // A service pattern: the example is a service principal, not an ARN.
        let found = findings(
            &key_policy(r#"{"Service": "*.amazonaws.com"}"#),
            DocumentKind::Key,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("name the exact service principal, such as `ec2.amazonaws.com`")
        );
        // In a trust policy the principal to name is the vendor's role, not the customer's.
        let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}"#;
        let found = findings(trust, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("name the exact principal, such as `arn:aws:iam::358587034707:role/SegBots-Servers-Role`; to admit several roles of one account, name the account and add an `ArnLike` condition on `aws:PrincipalArn`")
        );
    }
}
