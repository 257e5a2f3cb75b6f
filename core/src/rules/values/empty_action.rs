use crate::policy::Checked;
use crate::rules::values::support::is_empty_literal;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// `"Action": []` or `"NotAction": []`. Access Analyzer: `EMPTY_ARRAY_ACTION`.
    ///
    /// ## Why it matters
    /// A statement with no actions applies to no request: it is dead text that readers may
    /// take for a grant or a deny. Access is unaffected, so it is a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// List the actions the statement is for, or remove the statement.
    pub(crate) static RULE = {
        code: "V008",
        name: "empty-action",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(action) = &statement.action else {
            continue;
        };
        if !action.values.is_array || !is_empty_literal(doc.text, action.values.span, b'[', b']') {
            continue;
        }
        let name = action.name("Action", "NotAction");
        let effect = if action.negated {
            "it applies to every action"
        } else {
            "it applies to no request"
        };
        sink.report(
            &RULE,
            action.values.span,
            format!(
                "`{name}` in {} is an empty array: {effect}",
                statement.label()
            ),
            Some(format!(
                "list actions, such as `\"{name}\": [\"kms:Decrypt\"]`, or remove the statement"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    #[test]
    fn flags_empty_arrays_only() {
        let text = statement(r#""Sid": "Nothing", "Action": [ ], "Resource": "*""#);
        let found = findings(&text, DocumentKind::Iam, "V008");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "[ ]");
        assert_eq!(
            found[0].message,
            "`Action` in statement `Nothing` is an empty array: it applies to no request"
        );
        // An array of non-strings is a type error, not an empty array.
        let text = statement(r#""Action": [1], "Resource": "*""#);
        assert!(findings(&text, DocumentKind::Iam, "V008").is_empty());
        let text = statement(r#""NotAction": [], "Resource": "*""#);
        assert_eq!(findings(&text, DocumentKind::Iam, "V008").len(), 1);
    }
}
