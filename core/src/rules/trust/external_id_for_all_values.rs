use crate::policy::{ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{bypass_message, IdKey, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// `ForAllValues:` on `sts:ExternalId` that lets the vendor's role assume the role without
    /// an External ID (pitfall P5), found by evaluating the vendor's request without one. The
    /// generic `forallvalues-with-single-valued-key` also fires on it; this rule says what it
    /// does to this trust policy.
    ///
    /// ## Why it matters
    /// `ForAllValues:` is true when the key is absent (every one of its zero values matches),
    /// so a caller that passes no External ID is let in: the confused deputy is back. The setup
    /// works, but someone other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"ForAllValues:StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Drop the qualifier: `"StringEquals": {"sts:ExternalId": "<console value>"}`.
    pub(crate) static RULE = {
        code: "T007",
        name: "external-id-for-all-values",
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
    Problem::new(
        &RULE,
        Some(statement),
        entry.operator.span,
        bypass_message(
            entry,
            key,
            "is true when the request has no External ID",
            "without one",
        ),
        format!("write `{}`", s.id_condition()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn for_all_values_accepts_a_missing_id() {
        let text = policy(&[grant(&format!(
            "{{\"ForAllValues:StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}"
        ))]);
        assert_eq!(codes(&text), ["T007"]);
        let f = only(&text, "T007");
        assert_eq!(
            f.message,
            "`ForAllValues:StringEquals` on `sts:ExternalId` is true when the request has no External ID: the vendor's role can assume the role without one"
        );
        assert_eq!(under(&text, &f), "\"ForAllValues:StringEquals\"");
        assert_eq!(f.line, 4);
        // The generic name rule fires too: a different rule, a different angle.
        assert!(crate::check(
            &text,
            crate::DocumentKind::Trust,
            &crate::Context::example()
        )
        .has("N004"));
    }

    #[test]
    fn for_any_value_is_not_a_bypass() {
        let text = policy(&[grant(&format!(
            "{{\"ForAnyValue:StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}"
        ))]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }
}
