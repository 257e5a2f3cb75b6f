use crate::policy::{BaseOperator, ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{bypass_message, entry_values, IdKey, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// A condition on `sts:ExternalId` that checks only whether an External ID is present
    /// (`Null`), or that is negated (`StringNotEquals`, `StringNotLike`), so that the vendor's
    /// role can assume the role without the console's External ID (pitfalls P4, P6). Found by
    /// evaluating the vendor's request without an External ID and with another one. A misspelt
    /// key under such an operator (always true, since STS never sets that key) is reported here
    /// too.
    ///
    /// ## Why it matters
    /// `Null` `false` accepts any External ID; a negated operator accepts every External ID but
    /// the listed ones, and requests without one. Either way the External ID no longer binds the
    /// role to this customer. The setup works, but someone other than intended can get in:
    /// Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"Null": {"sts:ExternalId": "false"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Compare the value itself: `"StringEquals": {"sts:ExternalId": "<console value>"}`.
    pub(crate) static RULE = {
        code: "T008",
        name: "external-id-negated-or-null",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the bypass phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    key: IdKey,
) -> Problem {
    let null = entry.parsed.is_some_and(|o| o.base == BaseOperator::Null);
    let requires_absence = entry
        .values
        .iter()
        .any(|v| v.text.eq_ignore_ascii_case("true"));
    let (why, how) = match (null, requires_absence) {
        (true, false) => (
            "only requires that some External ID is sent".to_string(),
            "with any External ID",
        ),
        (true, true) => (
            "requires that no External ID is sent".to_string(),
            "without one",
        ),
        (false, _) => (
            format!(
                "accepts every External ID but {}, and requests without one",
                entry_values(entry)
            ),
            "without the console's External ID",
        ),
    };
    Problem::new(
        &RULE,
        Some(statement),
        entry.operator.span,
        bypass_message(entry, key, &why, how),
        format!("write `{}`", s.id_condition()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    fn with(condition: &str) -> String {
        policy(&[grant(condition)])
    }

    #[test]
    fn null_and_negated_conditions() {
        for (condition, operator, expected) in [
            (
                "{\"Null\": {\"sts:ExternalId\": \"false\"}}",
                "\"Null\"",
                "`Null` on `sts:ExternalId` only requires that some External ID is sent: the vendor's role can assume the role with any External ID",
            ),
            (
                "{\"StringNotEquals\": {\"sts:ExternalId\": \"tenant-0001\"}}",
                "\"StringNotEquals\"",
                "`StringNotEquals` on `sts:ExternalId` accepts every External ID but `tenant-0001`, and requests without one: the vendor's role can assume the role without the console's External ID",
            ),
            (
                "{\"StringNotLike\": {\"sts:ExternalId\": [\"a-*\", \"b-*\"]}}",
                "\"StringNotLike\"",
                "`StringNotLike` on `sts:ExternalId` accepts every External ID but `a-*` and `b-*`, and requests without one: the vendor's role can assume the role without the console's External ID",
            ),
        ] {
            let text = with(condition);
            assert_eq!(codes(&text), ["T008"], "{condition}");
            let f = only(&text, "T008");
            assert_eq!(f.message, expected);
            assert_eq!(under(&text, &f), operator);
            assert_eq!(f.line, 4);
            assert_eq!(
                f.help.as_deref(),
                Some("write `\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}`")
            );
        }
    }

    #[test]
    fn existence_checks_beside_a_null() {
        // `Null` `false` plus a Bool check on another key: still only existence.
        let text = with("{\"Null\": {\"sts:ExternalId\": \"false\"}, \"Bool\": {\"aws:SecureTransport\": \"true\"}}");
        assert_eq!(codes(&text), ["T008"]);
    }

    #[test]
    fn a_misspelt_key_under_a_negated_operator() {
        let text = with("{\"StringNotEquals\": {\"sts:ExternalIds\": \"tenant-0001\"}}");
        assert_eq!(codes(&text), ["T008"]);
        assert_eq!(
            only(&text, "T008").message,
            "`StringNotEquals` on `sts:ExternalIds` is always true: `sts:ExternalIds` is not the `sts:ExternalId` key, so STS never sets it, and the vendor's role can assume the role without an External ID"
        );
    }

    #[test]
    fn null_true_refuses_the_vendor_and_admits_no_id() {
        let text = with("{\"Null\": {\"sts:ExternalId\": \"true\"}}");
        assert_eq!(codes(&text), ["T001", "T008"]);
        assert_eq!(
            only(&text, "T008").message,
            "`Null` on `sts:ExternalId` requires that no External ID is sent: the vendor's role can assume the role without one"
        );
    }
}
