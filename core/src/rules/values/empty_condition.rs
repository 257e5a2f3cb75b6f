use crate::policy::Checked;
use crate::rules::values::support::is_empty_literal;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `"Condition": {}`, or a condition operator with no keys (`"StringEquals": {}`).
    /// Access Analyzer: `EMPTY_OBJECT_CONDITION`.
    ///
    /// ## Why it matters
    /// An empty condition restricts nothing: the statement applies as if it had none. That
    /// is often a condition someone meant to fill in, such as the External ID of a trust
    /// policy, so check that nothing is missing. Access is as written, so it is a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the condition you meant, or remove the empty block.
    pub(crate) static RULE = {
        code: "V011",
        name: "empty-condition",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(condition) = &statement.condition else {
            continue;
        };
        if is_empty_literal(doc.text, condition.span, b'{', b'}') {
            sink.report(
                &RULE,
                condition.span,
                format!(
                    "`Condition` in {} is an empty object: it restricts nothing",
                    statement.label()
                ),
                Some("write the condition you meant, or remove `\"Condition\": {}`".into()),
            );
            continue;
        }
        for operator in &condition.empty_operators {
            sink.report(
                &RULE,
                operator.span,
                format!(
                    "`{}` in {} has no condition keys: it restricts nothing",
                    operator.value,
                    statement.label()
                ),
                Some(format!(
                    "add the key and value to compare, or remove `\"{}\": {{}}`",
                    operator.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_empty_block_and_empty_operators() {
        let text = condition("{}");
        let found = findings(&text, DocumentKind::Iam, "V011");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "{}");

        let text = condition(r#"{"StringEquals": {}, "Bool": {"aws:SecureTransport": "true"}}"#);
        let found = findings(&text, DocumentKind::Trust, "V011");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"StringEquals\"");
        assert_eq!(
            found[0].message,
            "`StringEquals` in statement 0 has no condition keys: it restricts nothing"
        );
    }
}
