use crate::finding::DocumentKind;
use crate::policy::{Checked, PrincipalKind, PrincipalValue};
use crate::rules::{declare_rule, Sink};

use super::invalid_principal::unique_id_kind;

declare_rule! {
    /// ## What it catches
    /// A role or user unique ID (`AROA...`, `AIDA...`) as an `AWS` principal. Access Analyzer:
    /// `INVALID_ROLE_REFERENCE`, `INVALID_USER_REFERENCE`.
    ///
    /// ## Why it matters
    /// IAM stores a role or user ARN in a principal as the entity's unique ID and shows the ARN
    /// again while the entity exists. An ID on display means the role or user was deleted:
    /// the statement matches nobody, and a role recreated with the same name gets a new ID, so
    /// it stays locked out until its ARN is added again. Warning: the policy is valid, but
    /// the access it was written for is gone.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AROADBQP57FF2AEXAMPLE"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Replace the ID with the ARN of the role or user (recreate it first if it is needed).
    pub(crate) static RULE = {
        code: "G022",
        name: "principal-unique-id",
        severity: Warning,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(PrincipalValue::Map(entries)) = statement.principal.as_ref().map(|p| &p.value)
        else {
            continue;
        };
        let values = entries
            .iter()
            .filter(|e| e.kind == Some(PrincipalKind::Aws))
            .flat_map(|e| e.values.items.iter());
        for value in values {
            let Some(kind) = unique_id_kind(value.value) else {
                continue;
            };
            let likely = match (kind, doc.kind) {
                ("role", DocumentKind::Trust) => doc
                    .context
                    .vendor_role_arn()
                    .map(|arn| format!("; if it was the vendor's role, write `{arn}`")),
                ("role", DocumentKind::Key) => doc
                    .context
                    .role_arn()
                    .map(|arn| format!("; if it was the BYOK role, write `{arn}`")),
                _ => None,
            }
            .unwrap_or_default();
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is the unique ID of an IAM {kind}, shown in place of its ARN because the {kind} was deleted; the statement matches nobody",
                    value.value
                ),
                Some(format!(
                    "re-add the {kind}'s ARN, `arn:aws:iam::ACCOUNT_ID:{kind}/NAME`{likely}"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding, Severity};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G022")
            .collect()
    }

    const KEY: &str = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n  \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\", \"AROADBQP57FF2AEXAMPLE\", \"AIDACKCEVSQ6C2EXAMPLE\"]}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";

    #[test]
    fn reports_role_and_user_ids() {
        let found = findings(KEY, DocumentKind::Key);
        assert_eq!(found.len(), 2);
        let role = &found[0];
        assert_eq!(role.severity, Severity::Warning);
        assert_eq!(
            role.message,
            "`AROADBQP57FF2AEXAMPLE` is the unique ID of an IAM role, shown in place of its ARN because the role was deleted; the statement matches nobody"
        );
        assert_eq!(
            role.help.as_deref(),
            Some("re-add the role's ARN, `arn:aws:iam::ACCOUNT_ID:role/NAME`; if it was the BYOK role, write `arn:aws:iam::111122223333:role/BYOK_Role`")
        );
        assert_eq!((role.line, role.column), (2, 59));
        assert!(found[1].message.contains("an IAM user"));
    }

    #[test]
    fn in_a_trust_policy_the_likely_role_is_the_vendors() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AROADBQP57FF2AEXAMPLE"}, "Action": "sts:AssumeRole"}]}"#;
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let vendor = Context::example().vendor_role_arn().map(str::to_string);
        assert_eq!(
            found[0].help,
            vendor.map(|arn| format!(
                "re-add the role's ARN, `arn:aws:iam::ACCOUNT_ID:role/NAME`; if it was the vendor's role, write `{arn}`"
            ))
        );
    }

    #[test]
    fn other_keys_and_short_words_are_not_ids() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "AROADBQP57FF2AEXAMPLE", "AWS": "AROA"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings(text, DocumentKind::Trust).is_empty());
    }
}
