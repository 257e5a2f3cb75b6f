use crate::policy::{Checked, Family, ValueType};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `Bool` condition (`Bool`, `BoolIfExists`) whose value is neither `true` nor `false`,
    /// written as a string or as a JSON boolean: `"yes"`, `"1"`, `"enabled"`.
    /// Access Analyzer: `TYPE_MISMATCH_BOOLEAN`.
    ///
    /// ## Why it matters
    /// A boolean key never equals `yes`, so the condition never matches: an `Allow` grants
    /// nothing and a `Deny` protects nothing. IAM accepts the policy, so it is a Warning, not an
    /// Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "no"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `"true"` or `"false"` (quoted or not).
    pub(crate) static RULE = {
        code: "V001",
        name: "invalid-boolean-value",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Bool),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if entry.parsed.map(|op| op.base.family()) != Some(Family::Bool) {
                continue;
            }
            for value in &entry.values {
                // A variable here is `variable-invalid-for-operator`'s finding.
                let is_variable = crate::policy::holds_variable_start(value.text);
                let is_boolean = value.value_type == ValueType::Boolean
                    || value.text.eq_ignore_ascii_case("true")
                    || value.text.eq_ignore_ascii_case("false");
                if is_boolean || is_variable {
                    continue;
                }
                let help = match value.text.trim().to_ascii_lowercase().as_str() {
                    "yes" | "y" | "1" | "on" | "enabled" | "t" => "write `\"true\"`".to_string(),
                    "no" | "n" | "0" | "off" | "disabled" | "f" => "write `\"false\"`".to_string(),
                    _ => "write `\"true\"` or `\"false\"`".to_string(),
                };
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` is not a boolean: `{}` takes `true` or `false`, so this condition never matches",
                        value.text, entry.operator.value
                    ),
                    Some(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_non_booleans_and_suggests_the_value() {
        let text =
            condition(r#"{"BoolIfExists": {"aws:SecureTransport": ["yes", true, "False", 1]}}"#);
        let found = findings(&text, DocumentKind::Iam, "V001");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"yes\"");
        assert_eq!(
            found[0].message,
            "`yes` is not a boolean: `BoolIfExists` takes `true` or `false`, so this condition never matches"
        );
        assert_eq!(found[0].help.as_deref(), Some("write `\"true\"`"));
        assert_eq!(under(&text, &found[1]), "1");
    }

    #[test]
    fn accepts_true_and_false_quoted_or_not_in_any_case() {
        let text = condition(
            r#"{"Bool": {"aws:SecureTransport": ["true", "TRUE", "false", true, false]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "V001");
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn leaves_other_operators_and_variables_alone() {
        let text = condition(
            r#"{"StringEquals": {"aws:username": "yes"}, "Bool": {"aws:SecureTransport": "${aws:x}"}}"#,
        );
        assert!(findings(&text, DocumentKind::Iam, "V001").is_empty());
    }

    #[test]
    fn a_word_for_yes_or_no_gets_its_boolean() {
        for (word, help) in [
            ("yes", "write `\"true\"`"),
            ("no", "write `\"false\"`"),
            ("maybe", "write `\"true\"` or `\"false\"`"),
        ] {
            let text = condition(&format!(
                r#"{{"Bool": {{"aws:SecureTransport": "{word}"}}}}"#
            ));
            let found = findings(&text, DocumentKind::Iam, "V001");
            assert_eq!(found.len(), 1, "{word}");
            assert_eq!(found[0].help.as_deref(), Some(help), "{word}");
        }
    }
}
