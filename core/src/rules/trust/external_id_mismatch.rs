use crate::policy::{BaseOperator, ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{listing, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// An `sts:ExternalId` condition that requires an External ID other than the one the
    /// vendor's console shows, found by evaluating the vendor's request with the console's id.
    /// Near misses are named as such: surrounding white space, a difference of case only, one
    /// character off. A `Deny` with `StringNotEquals` on another id is the same mistake.
    ///
    /// ## Why it matters
    /// The vendor's role always presents the console's External ID, so the condition refuses
    /// it: the vendor cannot assume the role. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok "}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Copy the External ID from the vendor's console again and write it exactly:
    /// `"sts:ExternalId": "<console value>"`.
    pub(crate) static RULE = {
        code: "T002",
        name: "external-id-mismatch",
        severity: Error,
        kinds: [Trust],
        // Reported by the vendor phase's check (see the module documentation).
        check: None,
    };
}

/// How a policy's External ID differs from the console's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NearMiss {
    WhiteSpace,
    Case,
    OneCharacter,
    Different,
}

impl NearMiss {
    pub fn classify(found: &str, expected: &str) -> Self {
        if found.trim() == expected.trim() {
            Self::WhiteSpace
        } else if found.to_lowercase() == expected.to_lowercase() {
            Self::Case
        } else if strsim::levenshtein(found, expected) == 1 {
            Self::OneCharacter
        } else {
            Self::Different
        }
    }

    fn phrase(self) -> Option<&'static str> {
        match self {
            Self::WhiteSpace => Some("only by surrounding white space"),
            Self::Case => Some("only in case"),
            Self::OneCharacter => Some("by one character"),
            Self::Different => None,
        }
    }
}

/// What one policy value is, next to the console's id.
fn describe(value: &str, like: bool, console: &str) -> String {
    if like && crate::policy::has_wildcard(value) {
        return format!(
            "the pattern `{value}` does not match the console's External ID `{console}`"
        );
    }
    match NearMiss::classify(value, console).phrase() {
        Some(phrase) => {
            format!("the External ID `{value}` differs from the console's `{console}` {phrase}")
        }
        None => format!(
            "the condition requires the External ID `{value}`, not the console's `{console}`"
        ),
    }
}

/// Near-miss notes for a list of values: ` (`a` differs only in case)`.
fn notes(entry: &ConditionEntry<'_>, console: &str) -> String {
    entry
        .values
        .iter()
        .filter_map(|v| {
            NearMiss::classify(v.text, console)
                .phrase()
                .map(|phrase| format!(" (`{}` differs {phrase})", v.text))
        })
        .collect()
}

/// An Allow statement's condition requires another External ID.
pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
) -> Problem {
    let like = entry
        .parsed
        .is_some_and(|o| o.base == BaseOperator::StringLike);
    let (span, message) = match entry.values.as_slice() {
        [value] => (value.span, describe(value.text, like, s.external_id)),
        values => (
            entry.values_span,
            format!(
                "none of the External IDs {} is the console's `{}`{}",
                listing(values.iter().map(|v| v.text)),
                s.external_id,
                notes(entry, s.external_id)
            ),
        ),
    };
    Problem::new(
        &RULE,
        Some(statement),
        span,
        format!("{message}: the vendor's role is refused"),
        format!("write `{}`", s.id_pair()),
    )
}

/// A Deny statement refuses every External ID but another one.
pub(super) fn denied(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
) -> Problem {
    let (span, near) = match entry.values.as_slice() {
        [value] => (
            value.span,
            NearMiss::classify(value.text, s.external_id)
                .phrase()
                .map(|phrase| format!(", which differs from the console's {phrase}"))
                .unwrap_or_default(),
        ),
        _ => (entry.values_span, notes(entry, s.external_id)),
    };
    Problem::new(
        &RULE,
        Some(statement),
        span,
        format!(
            "{} denies `sts:AssumeRole` unless the External ID is {}{near}: the vendor's role presenting the console's `{}` is refused",
            statement.label(),
            listing(entry.values.iter().map(|v| v.text)),
            s.external_id
        ),
        format!("write `{}`", s.id_pair()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    fn with_value(value: &str) -> String {
        policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": {value}}}}}"
        ))])
    }

    #[test]
    fn names_each_near_miss() {
        for (value, expected) in [
            (
                "\"kore-7f3a9c2e-byok \"",
                "the External ID `kore-7f3a9c2e-byok ` differs from the console's `kore-7f3a9c2e-byok` only by surrounding white space: the vendor's role is refused",
            ),
            (
                "\"Kore-7F3A9C2E-byok\"",
                "the External ID `Kore-7F3A9C2E-byok` differs from the console's `kore-7f3a9c2e-byok` only in case: the vendor's role is refused",
            ),
            (
                "\"kore-7f3a9c2-byok\"",
                "the External ID `kore-7f3a9c2-byok` differs from the console's `kore-7f3a9c2e-byok` by one character: the vendor's role is refused",
            ),
            (
                "\"tenant-42\"",
                "the condition requires the External ID `tenant-42`, not the console's `kore-7f3a9c2e-byok`: the vendor's role is refused",
            ),
        ] {
            let text = with_value(value);
            assert_eq!(codes(&text), ["T002"], "{value}");
            let f = only(&text, "T002");
            assert_eq!(f.message, expected);
            assert_eq!(under(&text, &f), value);
            assert_eq!(f.line, 4);
            assert_eq!(
                f.help.as_deref(),
                Some("write `\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"`")
            );
        }
    }

    #[test]
    fn lists_every_value_when_none_matches() {
        let text = with_value("[\"KORE-7F3A9C2E-BYOK\", \"tenant-42\"]");
        let f = only(&text, "T002");
        assert_eq!(
            f.message,
            "none of the External IDs `KORE-7F3A9C2E-BYOK` and `tenant-42` is the console's `kore-7f3a9c2e-byok` (`KORE-7F3A9C2E-BYOK` differs only in case): the vendor's role is refused"
        );
        assert_eq!(under(&text, &f), "[\"KORE-7F3A9C2E-BYOK\", \"tenant-42\"]");
    }

    #[test]
    fn a_pattern_that_does_not_match() {
        let text = policy(&[grant(
            "{\"StringLike\": {\"sts:ExternalId\": \"kore-*-byoc\"}}",
        )]);
        // The pattern also accepts other tenants' ids: that is T006's finding.
        assert_eq!(codes(&text), ["T002", "T006"]);
        assert_eq!(
            only(&text, "T002").message,
            "the pattern `kore-*-byoc` does not match the console's External ID `kore-7f3a9c2e-byok`: the vendor's role is refused"
        );
    }

    #[test]
    fn a_deny_when_the_id_matches_is_not_a_mismatch() {
        // The Deny refuses the console's id itself: the vendor is refused, but no other id is
        // required.
        let text = policy(&[
            grant(&right_id()),
            format!("{{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}}}"),
        ]);
        assert_eq!(codes(&text), ["T001"]);
    }

    #[test]
    fn a_deny_on_another_id() {
        let text = policy(&[
            grant(""),
            "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": {\"StringNotEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-BYOK\"}}}".to_string(),
        ]);
        assert_eq!(codes(&text), ["T002"]);
        let f = only(&text, "T002");
        assert_eq!(
            f.message,
            "statement 1 denies `sts:AssumeRole` unless the External ID is `kore-7f3a9c2e-BYOK`, which differs from the console's only in case: the vendor's role presenting the console's `kore-7f3a9c2e-byok` is refused"
        );
        assert_eq!(f.line, 5);
    }

    #[test]
    fn under_string_equals_a_star_is_a_literal_not_a_pattern() {
        let f = only(&with_value("\"kore-*\""), "T002");
        assert_eq!(
            f.message,
            "the condition requires the External ID `kore-*`, not the console's `kore-7f3a9c2e-byok`: the vendor's role is refused"
        );
    }
}
