use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// The same condition key twice under one operator, differing only in case:
    /// `sts:ExternalId` and `sts:externalid`. Access Analyzer:
    /// `DUPLICATE_KEYS_WITH_DIFFERENT_CASE`. (Exact repeats are `duplicate-key`.)
    ///
    /// ## Why it matters
    /// Condition key names are case-insensitive, so both entries name one key and IAM rejects
    /// the policy. Which values apply is unclear to a reviewer. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok", "sts:externalid": "old-id"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep one entry for the key and put every value it should accept in its array.
    pub(crate) static RULE = {
        code: "G028",
        name: "condition-key-case-duplicate",
        severity: Error,
        kinds: [Trust, Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let entries = statement.condition_entries();
        for (position, entry) in entries.iter().enumerate() {
            let earlier: Vec<_> = entries
                .iter()
                .take(position)
                .filter(|e| e.operator.span == entry.operator.span)
                .filter(|e| e.key.value.eq_ignore_ascii_case(entry.key.value))
                .collect();
            // An exact repeat is already `duplicate-key`; report only the first case variant.
            if earlier.iter().any(|e| e.key.value == entry.key.value) {
                continue;
            }
            let Some(first) = earlier.first() else {
                continue;
            };
            sink.report(
                &RULE,
                entry.key.span,
                format!(
                    "`{}` repeats `{}` under `{}` in a different case; condition key names are case-insensitive, so both name one key",
                    entry.key.value, first.key.value, entry.operator.value
                ),
                Some(format!(
                    "keep one `{}` entry and list every value it should accept in its array",
                    first.key.value
                )),
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
            .filter(|f| f.code == "G028" || f.code == "J005")
            .collect()
    }

    #[test]
    fn points_at_the_later_variant() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\n  \"kms:ViaService\": \"s3.us-east-1.amazonaws.com\",\n  \"KMS:viaservice\": \"s3.us-west-2.amazonaws.com\"}}}]}";
        let found = findings(text, DocumentKind::Iam);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.code, "G028");
        assert_eq!(
            f.message,
            "`KMS:viaservice` repeats `kms:ViaService` under `StringEquals` in a different case; condition key names are case-insensitive, so both name one key"
        );
        assert_eq!((f.line, f.column), (3, 3));
    }

    #[test]
    fn case_variants_under_different_operators_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}, "StringLike": {"kms:viaservice": "s3.*.amazonaws.com"}}}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }

    #[test]
    fn exact_repeats_are_left_to_duplicate_key() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "a", "kms:viaservice": "b", "kms:ViaService": "c"}}}]}"#;
        let codes: Vec<_> = findings(text, DocumentKind::Iam)
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["G028", "J005"]);
    }
}
