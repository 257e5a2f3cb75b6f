use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// Several values under `NumericLessThan`, `NumericLessThanEquals`, `NumericGreaterThan`
    /// or `NumericGreaterThanEquals` (with or without `IfExists`) for one key. A condition
    /// with several values holds when any of them does, so only the greatest (for `LessThan`)
    /// or the least (for `GreaterThan`) matters. Access Analyzer:
    /// `REDUNDANT_CONDITION_VALUE_NUM`.
    ///
    /// ## Why it matters
    /// The other values change nothing; whoever wrote a list probably expected each bound to
    /// apply. No effect on access, so a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "600"]}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "600"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep the one value that decides: the greatest under `NumericLessThan…`, the least under
    /// `NumericGreaterThan…`.
    pub(crate) static RULE = {
        code: "X010",
        name: "redundant-condition-value-num",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Numeric),
    };
}

fn number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some(operator) = entry.parsed else {
                continue;
            };
            // A set qualifier compares each request value; the bound still decides, but the
            // shape is rare enough to leave to a reader.
            if operator.qualifier.is_some() || entry.values.len() < 2 {
                continue;
            }
            let greatest = match operator.base {
                BaseOperator::NumericLessThan | BaseOperator::NumericLessThanEquals => true,
                BaseOperator::NumericGreaterThan | BaseOperator::NumericGreaterThanEquals => false,
                _ => continue,
            };
            let mut numbers = Vec::with_capacity(entry.values.len());
            for value in &entry.values {
                let Some(n) = number(value.text) else {
                    break;
                };
                numbers.push((n, value.text));
            }
            if numbers.len() != entry.values.len() {
                continue;
            }
            let decisive = numbers.iter().copied().reduce(|best, next| {
                let better = if greatest {
                    next.0 > best.0
                } else {
                    next.0 < best.0
                };
                if better {
                    next
                } else {
                    best
                }
            });
            let Some((_, text)) = decisive else {
                continue;
            };
            let which = if greatest { "greatest" } else { "least" };
            sink.report(
                &RULE,
                entry.values_span,
                format!(
                    "`{}` lists several values for `{}`; the condition holds when any one does, so only the {which}, `{text}`, matters",
                    entry.operator.value, entry.key.value
                ),
                Some(format!("write the one value: `\"{}\": \"{text}\"`", entry.key.value)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn names_the_deciding_value() {
        let text = condition(
            r#"{"NumericGreaterThanEqualsIfExists": {"s3:max-keys": [10, "5", 7.5]}, "NumericEquals": {"s3:max-keys": ["1", "2"]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X010");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "[10, \"5\", 7.5]");
        assert_eq!(
            found[0].message,
            "`NumericGreaterThanEqualsIfExists` lists several values for `s3:max-keys`; the condition holds when any one does, so only the least, `5`, matters"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write the one value: `\"s3:max-keys\": \"5\"`")
        );
        let single = condition(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["600", "x"]}}"#);
        assert!(findings(&single, DocumentKind::Iam, "X010").is_empty());
    }

    #[test]
    fn for_less_than_the_greatest_decides_and_of_equals_the_first_written() {
        // The greatest wherever it is listed; of two equal bounds, the one written first.
        for values in [r#"["5", "10", "7"]"#, r#"["10", "5", "10.0"]"#] {
            let text = condition(&format!(
                r#"{{"NumericLessThan": {{"s3:max-keys": {values}}}}}"#
            ));
            let found = findings(&text, DocumentKind::Iam, "X010");
            assert_eq!(found.len(), 1, "{values}");
            assert!(
                found[0]
                    .message
                    .ends_with("so only the greatest, `10`, matters"),
                "{values}: {}",
                found[0].message
            );
        }
        // For greater-than, the least; of two equal bounds, again the one written first.
        let text = condition(r#"{"NumericGreaterThan": {"s3:max-keys": ["7", "5", "5.0"]}}"#);
        let found = findings(&text, DocumentKind::Iam, "X010");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .ends_with("so only the least, `5`, matters"),
            "{}",
            found[0].message
        );
    }
}
