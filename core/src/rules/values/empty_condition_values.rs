use crate::policy::{Checked, SetQualifier};
use crate::rules::values::support::is_empty_literal;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A condition key with an empty array of values (`"aws:SourceVpce": []`).
    /// Access Analyzer: `EMPTY_ARRAY_CONDITION`, `EMPTY_ARRAY_CONDITION_FORALLVALUES`,
    /// `EMPTY_ARRAY_CONDITION_FORANYVALUE`, `EMPTY_ARRAY_CONDITION_IFEXISTS`.
    ///
    /// ## Why it matters
    /// What an empty list does depends on the operator. Plain and `ForAnyValue:` operators
    /// never match, so the statement never applies. `ForAllValues:` and `…IfExists` match only
    /// when the key is missing from the request, which is rarely what was meant and is better
    /// said with `Null`. It is a Suggestion: the policy is valid, but the condition is either
    /// dead or obscure.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": []}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d"]}}}]}
    /// ```
    ///
    /// ## How to fix
    /// List the values to compare with. To test that a key is missing, write
    /// `"Null": {"<key>": "true"}`.
    pub(crate) static RULE = {
        code: "V012",
        name: "empty-condition-values",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if !entry.values_is_array || !is_empty_literal(doc.text, entry.values_span, b'[', b']')
            {
                continue;
            }
            let key = entry.key.value;
            let operator = entry.operator.value;
            let qualifier = entry.parsed.and_then(|op| op.qualifier);
            let if_exists = entry.parsed.is_some_and(|op| op.if_exists);
            let (outcome, only_when_missing) = match qualifier {
                Some(SetQualifier::ForAllValues) => (
                    format!("`{operator}` with no values matches only when `{key}` is missing from the request"),
                    true,
                ),
                Some(SetQualifier::ForAnyValue) => (
                    format!("`{operator}` with no values never matches, so the statement never applies"),
                    false,
                ),
                None if if_exists => (
                    format!("`{operator}` with no values matches only when `{key}` is missing from the request"),
                    true,
                ),
                None => (
                    "the condition never matches, so the statement never applies".to_string(),
                    false,
                ),
            };
            let help = if only_when_missing {
                format!("to test that the key is missing, write `\"Null\": {{\"{key}\": \"true\"}}`; otherwise list the values to compare with")
            } else {
                format!("list the values to compare `{key}` with, or remove the key")
            };
            sink.report(
                &RULE,
                entry.values_span,
                format!("`{key}` has an empty array of values: {outcome}"),
                Some(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    fn message(operator: &str) -> String {
        let text = condition(&format!(r#"{{"{operator}": {{"aws:TagKeys": []}}}}"#));
        let found = findings(&text, DocumentKind::Iam, "V012");
        assert_eq!(found.len(), 1, "{operator}");
        assert_eq!(under(&text, &found[0]), "[]");
        found[0].message.clone()
    }

    #[test]
    fn message_depends_on_the_operator() {
        assert_eq!(
            message("StringEquals"),
            "`aws:TagKeys` has an empty array of values: the condition never matches, so the statement never applies"
        );
        assert_eq!(
            message("ForAllValues:StringEquals"),
            "`aws:TagKeys` has an empty array of values: `ForAllValues:StringEquals` with no values matches only when `aws:TagKeys` is missing from the request"
        );
        assert_eq!(
            message("ForAnyValue:StringLike"),
            "`aws:TagKeys` has an empty array of values: `ForAnyValue:StringLike` with no values never matches, so the statement never applies"
        );
        assert!(
            message("StringEqualsIfExists").contains("matches only when `aws:TagKeys` is missing")
        );
    }

    #[test]
    fn non_empty_and_scalar_values_are_fine() {
        let text = condition(r#"{"StringEquals": {"aws:TagKeys": ["a"], "aws:username": ""}}"#);
        assert!(findings(&text, DocumentKind::Iam, "V012").is_empty());
    }
}
