use crate::policy::{Checked, PrincipalValue};
use crate::rules::values::support::is_empty_literal;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `"Principal": {}`, or a principal key with an empty array (`"AWS": []`), in a trust or
    /// key policy. Access Analyzer: `EMPTY_OBJECT_PRINCIPAL`, `EMPTY_ARRAY_PRINCIPAL`.
    ///
    /// ## Why it matters
    /// A statement with no principal applies to no one: it is dead text, often where the
    /// vendor's role was meant to be. An empty key next to others is only clutter. Access is
    /// unaffected, so it is a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the principal (`{"AWS": "<role ARN>"}`), or remove the empty key or the statement.
    pub(crate) static RULE = {
        code: "V010",
        name: "empty-principal",
        severity: Suggestion,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    // Built only for a finding: most documents have none.
    let example = || match doc.context.vendor_role_arn() {
        Some(arn) => format!("{{\"AWS\": \"{arn}\"}}"),
        None => "{\"AWS\": \"<role ARN>\"}".to_string(),
    };
    for statement in &doc.policy.statements {
        let Some(principal) = &statement.principal else {
            continue;
        };
        let name = if principal.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let PrincipalValue::Map(entries) = &principal.value else {
            continue;
        };
        if entries.is_empty() && is_empty_literal(doc.text, principal.span, b'{', b'}') {
            sink.report(
                &RULE,
                principal.span,
                format!(
                    "`{name}` in {} is an empty object: the statement applies to no one",
                    statement.label()
                ),
                Some(format!(
                    "write `\"{name}\": {}`, or remove the statement",
                    example()
                )),
            );
            continue;
        }
        let all_empty = entries.iter().all(|e| e.values.items.is_empty());
        for entry in entries {
            if !entry.values.is_array || !is_empty_literal(doc.text, entry.values.span, b'[', b']')
            {
                continue;
            }
            let effect = if all_empty {
                "the statement applies to no one"
            } else {
                "it names no principal"
            };
            sink.report(
                &RULE,
                entry.values.span,
                format!(
                    "`{}` in `{name}` of {} is an empty array: {effect}",
                    entry.key.value,
                    statement.label()
                ),
                Some(format!(
                    "list principals under `{}`, or remove the `{}` key",
                    entry.key.value, entry.key.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    fn trust(principal: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"}}]}}"#
        )
    }

    #[test]
    fn flags_empty_object_and_empty_keys() {
        let text = trust("{ }");
        let found = findings(&text, DocumentKind::Trust, "V010");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "{ }");
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Servers-Role\"}`, or remove the statement")
        );

        let text = trust(r#"{"AWS": []}"#);
        let found = findings(&text, DocumentKind::Key, "V010");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`AWS` in `Principal` of statement 0 is an empty array: the statement applies to no one"
        );

        let text = trust(r#"{"AWS": "arn:aws:iam::111122223333:root", "Service": []}"#);
        let found = findings(&text, DocumentKind::Trust, "V010");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.ends_with("it names no principal"));

        // A filled array beside the empty one is not empty.
        let text = trust(r#"{"AWS": ["arn:aws:iam::111122223333:root"], "Service": []}"#);
        let found = findings(&text, DocumentKind::Trust, "V010");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "[]");
    }

    #[test]
    fn does_not_run_on_identity_policies() {
        assert!(findings(&trust("{}"), DocumentKind::Iam, "V010").is_empty());
    }
}
