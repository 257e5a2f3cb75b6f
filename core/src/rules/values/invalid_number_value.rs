use crate::policy::{Checked, Family, ValueType};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `Numeric…` condition (`NumericLessThan`, `NumericEquals`...) whose value is not a
    /// number: `"five"`, `"10 days"`, `true`. Access Analyzer: `TYPE_MISMATCH_NUMBER`.
    ///
    /// ## Why it matters
    /// A value that is not a number compares with nothing, so the condition never matches.
    /// IAM accepts the policy, so it is a Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:ScheduleKeyDeletion", "Resource": "*", "Condition": {"NumericGreaterThanEquals": {"kms:ScheduleKeyDeletionPendingWindowInDays": "thirty"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:ScheduleKeyDeletion", "Resource": "*", "Condition": {"NumericGreaterThanEquals": {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write a plain number, quoted or not: `30`, `"30"`, `"0.5"`. No units, no thousands
    /// separators.
    pub(crate) static RULE = {
        code: "V002",
        name: "invalid-number-value",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Numeric),
    };
}

/// `[+-]digits[.digits][e[+-]digits]`, with digits on at least one side of the point.
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, f),
        None => (mantissa, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if entry.parsed.map(|op| op.base.family()) != Some(Family::Numeric) {
                continue;
            }
            for value in &entry.values {
                let ok = match value.value_type {
                    ValueType::Number => true,
                    ValueType::Boolean => false,
                    // A variable here is `variable-invalid-for-operator`'s finding.
                    ValueType::String => {
                        is_number(value.text) || crate::policy::holds_variable_start(value.text)
                    }
                };
                if ok {
                    continue;
                }
                let trimmed: String = value
                    .text
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != ',')
                    .collect();
                let help = if value.value_type == ValueType::String && is_number(&trimmed) {
                    format!("write `\"{trimmed}\"`")
                } else {
                    "write a number, such as `\"30\"` or `30`".to_string()
                };
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` is not a number: `{}` compares numbers, so this condition never matches",
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
    use super::is_number;
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn recognises_numbers() {
        for ok in ["0", "30", "-1", "+2", "0.5", ".5", "5.", "1e3", "2.5E-2"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in [
            "", "-", ".", "five", "1,000", "1 000", "1e", "0x10", "NaN", "inf", "1.2.3",
        ] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn flags_words_and_booleans_with_a_fix() {
        let text = condition(
            r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["3,600", 3600, "3600", true]}}"#,
        );
        let found = findings(&text, DocumentKind::Trust, "V002");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"3,600\"");
        assert_eq!(found[0].help.as_deref(), Some("write `\"3600\"`"));
        assert_eq!(
            found[1].message,
            "`true` is not a number: `NumericLessThan` compares numbers, so this condition never matches"
        );
    }

    #[test]
    fn a_word_gets_the_general_help() {
        let text = condition(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}"#);
        let found = findings(&text, DocumentKind::Trust, "V002");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].help.as_deref(),
            Some("write a number, such as `\"30\"` or `30`")
        );
    }
}
