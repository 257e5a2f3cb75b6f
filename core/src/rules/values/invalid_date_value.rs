use crate::policy::{Checked, Family, ValueType};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `Date…` condition (`DateLessThan`, `DateGreaterThan`...) whose value is neither an
    /// ISO 8601 date or date-time (`2025-12-31`, `2025-12-31T23:59:59Z`,
    /// `2025-12-31T23:59:59.500+01:00`) nor a count of epoch seconds (`1767225599`).
    /// Access Analyzer: `TYPE_MISMATCH_DATE`.
    ///
    /// ## Why it matters
    /// A value that is not a date compares with nothing, so the condition never matches: a
    /// time-boxed grant never starts, or a time-boxed deny never applies. IAM accepts the
    /// policy, so it is a Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "31/12/2025"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2025-12-31T23:59:59Z"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ssZ` for a time in UTC, or epoch seconds.
    pub(crate) static RULE = {
        code: "V003",
        name: "invalid-date-value",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Date),
    };
}

fn digits(text: &str, len: usize) -> Option<u32> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD` with a day that exists in that month.
fn is_calendar_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff`.
fn is_time(text: &str) -> bool {
    let (main, fraction) = match text.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (text, None),
    };
    let mut parts = main.split(':');
    let (Some(h), Some(m), s, None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let fields_ok = digits(h, 2).is_some_and(|h| h <= 23)
        && digits(m, 2).is_some_and(|m| m <= 59)
        && s.is_none_or(|s| digits(s, 2).is_some_and(|s| s <= 60));
    let fraction_ok = fraction
        .is_none_or(|f| s.is_some() && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    fields_ok && fraction_ok
}

/// `+hh:mm`, `-hhmm`, `+hh`.
fn is_offset(text: &str) -> bool {
    let (h, m) = match text.split_once(':') {
        Some((h, m)) => (h, Some(m)),
        None if text.len() == 4 => (text.get(..2).unwrap_or_default(), text.get(2..)),
        None => (text, None),
    };
    digits(h, 2).is_some_and(|h| h <= 23) && m.is_none_or(|m| digits(m, 2).is_some_and(|m| m <= 59))
}

/// ISO 8601 date or date-time, or epoch seconds.
pub(crate) fn is_date(text: &str) -> bool {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let Some((date, time)) = text.split_once('T') else {
        return is_calendar_date(text);
    };
    if !is_calendar_date(date) {
        return false;
    }
    if let Some(time) = time.strip_suffix('Z') {
        return is_time(time);
    }
    match time.find(['+', '-']) {
        Some(at) => {
            let (time, offset) = time.split_at(at);
            is_time(time) && is_offset(offset.get(1..).unwrap_or_default())
        }
        None => is_time(time),
    }
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if entry.parsed.map(|op| op.base.family()) != Some(Family::Date) {
                continue;
            }
            for value in &entry.values {
                let ok = match value.value_type {
                    ValueType::Boolean => false,
                    // A variable here is `variable-invalid-for-operator`'s finding.
                    ValueType::Number | ValueType::String => {
                        is_date(value.text) || crate::policy::holds_variable_start(value.text)
                    }
                };
                if ok {
                    continue;
                }
                let dashed = value.text.trim().replace(['/', '.'], "-");
                let help = if value.value_type == ValueType::String && is_date(&dashed) {
                    format!("write `\"{dashed}\"`")
                } else {
                    "write `\"YYYY-MM-DD\"`, `\"YYYY-MM-DDThh:mm:ssZ\"` or epoch seconds"
                        .to_string()
                };
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` is not an ISO 8601 date or epoch seconds: `{}` compares dates, so this condition never matches",
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
    use super::is_date;
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn recognises_dates() {
        for ok in [
            "2025-12-31",
            "2024-02-29",
            "2025-12-31T23:59",
            "2025-12-31T23:59:59Z",
            "2025-12-31T23:59:59.123Z",
            "2025-12-31T23:59:59+01:00",
            "2025-12-31T23:59:59-0800",
            "2025-12-31T23:59:59.5-08",
            "1767225599",
            "0",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "",
            "31/12/2025",
            "2025-13-01",
            "2025-02-29",
            "2025-12-31 23:59:59",
            "2025-12-31T24:00:00Z",
            "2025-12-31T23:59:59+25:00",
            "2025-1-05",
            "2025-+1-05",
            "2025-12-31T",
            "2025-12-31T23:59.5Z",
            "-1",
            "1.5e9",
            "tomorrow",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn accepts_epoch_numbers_and_flags_the_rest() {
        let text = condition(
            r#"{"DateGreaterThan": {"aws:CurrentTime": [1767225599, "1767225599", "2025/12/31", 1.5, false]}}"#,
        );
        let found = findings(&text, DocumentKind::Key, "V003");
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"2025/12/31\"");
        assert_eq!(found[0].help.as_deref(), Some("write `\"2025-12-31\"`"));
        assert_eq!(under(&text, &found[1]), "1.5");
        assert_eq!(under(&text, &found[2]), "false");
        // Neither a number nor a string that no dashes make a date is rewritten as one.
        let generic = Some("write `\"YYYY-MM-DD\"`, `\"YYYY-MM-DDThh:mm:ssZ\"` or epoch seconds");
        assert_eq!(found[1].help.as_deref(), generic);
        let text = condition(r#"{"DateGreaterThan": {"aws:CurrentTime": "tomorrow"}}"#);
        let found = findings(&text, DocumentKind::Key, "V003");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].help.as_deref(), generic);
    }

    #[test]
    fn february_has_a_29th_only_in_leap_years() {
        let text = condition(
            r#"{"DateGreaterThan": {"aws:CurrentTime": ["2025-02-28", "2024-02-29", "2000-02-29T00:00:00Z", "2025-02-29", "1900-02-29"]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "V003");
        let flagged: Vec<&str> = found.iter().map(|f| under(&text, f)).collect();
        assert_eq!(flagged, ["\"2025-02-29\"", "\"1900-02-29\""]);
    }

    #[test]
    fn thirty_day_months_end_on_the_thirtieth() {
        let text = condition(
            r#"{"DateLessThan": {"aws:CurrentTime": ["2025-04-30", "2025-06-15T12:00:00Z", "2025-09-31", "2025-11-31T00:00:00Z"]}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "V003");
        let flagged: Vec<&str> = found.iter().map(|f| under(&text, f)).collect();
        assert_eq!(flagged, ["\"2025-09-31\"", "\"2025-11-31T00:00:00Z\""]);
        assert_eq!(
            found[0].message,
            "`2025-09-31` is not an ISO 8601 date or epoch seconds: `DateLessThan` compares dates, so this condition never matches"
        );
    }
}
