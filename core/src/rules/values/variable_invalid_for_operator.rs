use crate::policy::{BaseOperator, Checked, Family};
use crate::rules::values::support::{self, string_values, variables};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A policy variable in the value of a condition whose operator is not a `String…` or
    /// `Arn…` operator: `Numeric…`, `Date…`, `Bool`, `BinaryEquals`, `IpAddress`,
    /// `NotIpAddress`, `Null`. Access Analyzer: `INVALID_VARIABLE_FOR_OPERATOR`.
    ///
    /// ## Why it matters
    /// IAM replaces variables only for string and ARN comparisons. Elsewhere the value is the
    /// literal text `${...}`, which is no number, date, boolean or address, so the condition
    /// never matches. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "${aws:TokenIssueTime}"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write a literal value of the operator's type, or compare the variable with a `String…`
    /// or `Arn…` operator.
    pub(crate) static RULE = {
        code: "V015",
        name: "variable-invalid-for-operator",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if !support::may_hold_variables(doc) {
        return;
    }
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some(operator) = entry.parsed else {
                continue;
            };
            let compares = match operator.base.family() {
                Family::String | Family::Arn => continue,
                Family::Numeric => "numbers",
                Family::Date => "dates",
                Family::Bool => "booleans",
                Family::Binary => "base64-encoded bytes",
                Family::Ip => "IP addresses",
                Family::Null => "whether the key is present (`true` or `false`)",
            };
            let help = if operator.base == BaseOperator::Null {
                "write `\"true\"` (the key is missing) or `\"false\"` (the key is present)"
                    .to_string()
            } else {
                "write a literal value, or compare the variable with a `String…` or `Arn…` operator"
                    .to_string()
            };
            for site in string_values(entry) {
                for variable in variables(site.value) {
                    sink.report(
                        &RULE,
                        variable.span(doc.text, site),
                        format!(
                            "`{}` is not replaced under `{}`, which compares {compares}: policy variables work only with `String…` and `Arn…` operators",
                            variable.text, entry.operator.value
                        ),
                        Some(help.clone()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_variables_outside_string_and_arn_operators() {
        let text = condition(
            r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:x}"}, "Null": {"aws:username": "${aws:y}"}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::${aws:z}"}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "V015");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "${aws:x}");
        assert_eq!(
            found[0].message,
            "`${aws:x}` is not replaced under `NumericLessThan`, which compares numbers: policy variables work only with `String…` and `Arn…` operators"
        );
        assert_eq!(under(&text, &found[1]), "${aws:y}");
        assert!(found[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("write `\"true\"`"));
    }

    #[test]
    fn other_value_rules_stay_quiet_on_variables() {
        let text = condition(
            r#"{"IpAddress": {"aws:SourceIp": "${aws:x}"}, "Bool": {"aws:SecureTransport": "${aws:x}"}, "DateLessThan": {"aws:CurrentTime": "${aws:x}"}, "BinaryEquals": {"aws:username": "${aws:x}"}}"#,
        );
        let report = crate::check(&text, DocumentKind::Iam, &crate::Context::example());
        assert_eq!(
            report.findings.iter().filter(|f| f.code == "V015").count(),
            4
        );
        for code in ["V001", "V002", "V003", "V004", "V007"] {
            assert!(!report.has(code), "{code}");
        }
    }
}
