use crate::policy::{Checked, PrincipalValue, Statement};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement identical to an earlier one apart from its `Sid`: the same `Effect`,
    /// `Principal`, `Action`, `Resource` and `Condition`, whatever the order of list entries
    /// (action names compare case-insensitively). Access Analyzer: `REDUNDANT_STATEMENT`.
    ///
    /// ## Why it matters
    /// The copy grants or denies nothing new. It usually comes from pasting a statement twice,
    /// and a later edit to one copy but not the other is a trap. No effect on access, so a
    /// Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "UseAgain", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "Describe", "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the copy.
    pub(crate) static RULE = {
        code: "X009",
        name: "redundant-statement",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

/// The statement without its Sid and spans, with list entries sorted: equal shapes grant the
/// same. `None` for a statement without a valid `Effect` or an `Action`, whose elements the
/// model may have dropped.
fn shape(statement: &Statement<'_>) -> Option<String> {
    let effect = statement.effect()?;
    let action = statement.action.as_ref()?;
    let sorted = |items: Vec<String>| {
        let mut items = items;
        items.sort();
        items.dedup();
        items.join("\u{1f}")
    };
    let mut out = format!("{effect:?}\u{1e}");
    let actions = action
        .values
        .items
        .iter()
        .map(|v| v.value.to_ascii_lowercase())
        .collect();
    out.push_str(&format!("{}{}\u{1e}", action.negated, sorted(actions)));
    if let Some(resource) = &statement.resource {
        let values = resource
            .values
            .items
            .iter()
            .map(|v| v.value.to_string())
            .collect();
        out.push_str(&format!("{}{}", resource.negated, sorted(values)));
    }
    out.push('\u{1e}');
    if let Some(principal) = &statement.principal {
        let values = match &principal.value {
            PrincipalValue::Bare(s) => vec![format!("*{}", s.value)],
            PrincipalValue::Map(entries) => entries
                .iter()
                .flat_map(|e| {
                    e.values
                        .items
                        .iter()
                        .map(move |v| format!("{}\u{1d}{}", e.key.value, v.value))
                })
                .collect(),
        };
        out.push_str(&format!("{}{}", principal.negated, sorted(values)));
    }
    out.push('\u{1e}');
    let conditions = statement
        .condition_entries()
        .iter()
        .map(|e| {
            let values = e.values.iter().map(|v| v.text.to_string()).collect();
            format!(
                "{}\u{1d}{}\u{1d}{}",
                e.operator.value,
                e.key.value.to_ascii_lowercase(),
                sorted(values)
            )
        })
        .collect();
    out.push_str(&sorted(conditions));
    Some(out)
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let shapes: Vec<Option<String>> = doc.policy.statements.iter().map(shape).collect();
    for (index, statement) in doc.policy.statements.iter().enumerate() {
        let Some(Some(mine)) = shapes.get(index) else {
            continue;
        };
        let earlier = doc
            .policy
            .statements
            .iter()
            .zip(&shapes)
            .take(index)
            .find(|(_, shape)| shape.as_ref() == Some(mine));
        let Some((first, _)) = earlier else {
            continue;
        };
        sink.report(
            &RULE,
            statement.span,
            format!(
                "{} repeats {}: apart from the `Sid` they are the same, so it grants nothing more",
                statement.label(),
                first.label()
            ),
            Some(format!("remove {}", statement.label())),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    #[test]
    fn order_and_case_of_actions_do_not_matter() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
 {"Sid": "A", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}},
 {"Sid": "B", "Effect": "Allow", "Action": ["kms:encrypt", "kms:Decrypt"], "Resource": ["*"], "Condition": {"StringEquals": {"kms:CallerAccount": ["111122223333"]}}},
 {"Sid": "C", "Effect": "Deny", "Action": ["kms:encrypt", "kms:Decrypt"], "Resource": ["*"]},
 {"Sid": "D", "Effect": "Allow", "Action": ["kms:encrypt", "kms:Decrypt"], "Resource": ["*"]}]}"#;
        let found = findings(text, DocumentKind::Iam, "X009");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "statement `B` repeats statement `A`: apart from the `Sid` they are the same, so it grants nothing more"
        );
        assert_eq!(found[0].line, 3);
    }
}
