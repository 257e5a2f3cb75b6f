use crate::policy::Checked;
use crate::rules::values::support::is_empty_literal;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `"Resource": []` or `"NotResource": []` in an identity or key policy.
    /// Access Analyzer: `EMPTY_ARRAY_RESOURCE`.
    ///
    /// ## Why it matters
    /// A statement with no resources applies to no request: it is dead text that readers may
    /// take for a grant or a deny. Access is unaffected, so it is a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": []}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}]}
    /// ```
    ///
    /// ## How to fix
    /// List the resources (in a key policy, `"*"`), or remove the statement.
    pub(crate) static RULE = {
        code: "V009",
        name: "empty-resource",
        severity: Suggestion,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        if !resource.values.is_array
            || !is_empty_literal(doc.text, resource.values.span, b'[', b']')
        {
            continue;
        }
        let name = resource.name("Resource", "NotResource");
        let effect = if resource.negated {
            "it applies to every resource"
        } else {
            "it applies to no request"
        };
        let example = match (doc.kind, doc.context.cmk_arn()) {
            (crate::DocumentKind::Key, _) => "\"*\"".to_string(),
            (_, Some(cmk)) => format!("\"{cmk}\""),
            (_, None) => "\"arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID\"".to_string(),
        };
        sink.report(
            &RULE,
            resource.values.span,
            format!(
                "`{name}` in {} is an empty array: {effect}",
                statement.label()
            ),
            Some(format!(
                "list resources, such as `\"{name}\": [{example}]`, or remove the statement"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement};
    use crate::DocumentKind;

    #[test]
    fn flags_empty_arrays_with_a_kind_specific_fix() {
        let text = statement(r#""Action": "kms:Decrypt", "Resource": []"#);
        let found = findings(&text, DocumentKind::Iam, "V009");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("list resources, such as `\"Resource\": [\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]`, or remove the statement")
        );
        let found = findings(&text, DocumentKind::Key, "V009");
        assert_eq!(
            found[0].help.as_deref(),
            Some("list resources, such as `\"Resource\": [\"*\"]`, or remove the statement")
        );
        let text = statement(r#""Action": "kms:Decrypt", "Resource": "*""#);
        assert!(findings(&text, DocumentKind::Iam, "V009").is_empty());
    }
}
