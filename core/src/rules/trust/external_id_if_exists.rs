use crate::policy::{ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{bypass_message, IdKey, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// An `…IfExists` operator (`StringEqualsIfExists`) on `sts:ExternalId` that lets the
    /// vendor's role assume the role without an External ID (pitfall P2), found by evaluating
    /// the vendor's request without one.
    ///
    /// ## Why it matters
    /// `…IfExists` is true when the key is absent, and `sts:ExternalId` is absent whenever the
    /// caller does not pass one: the condition protects nothing against the confused deputy.
    /// The setup works, but someone other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEqualsIfExists": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Drop `IfExists`: `"StringEquals": {"sts:ExternalId": "<console value>"}`.
    pub(crate) static RULE = {
        code: "T005",
        name: "external-id-if-exists",
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
    fn if_exists_accepts_a_missing_id() {
        let text = policy(&[grant(&format!(
            "{{\"StringEqualsIfExists\": {{\"sts:ExternalId\": \"{ID}\"}}}}"
        ))]);
        assert_eq!(codes(&text), ["T005"]);
        let f = only(&text, "T005");
        assert_eq!(
            f.message,
            "`StringEqualsIfExists` on `sts:ExternalId` is true when the request has no External ID: the vendor's role can assume the role without one"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("write `\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}`")
        );
        assert_eq!(under(&text, &f), "\"StringEqualsIfExists\"");
        assert_eq!(f.line, 4);
    }

    #[test]
    fn with_a_wildcard_both_problems_are_named() {
        let text = policy(&[grant(
            "{\"StringLikeIfExists\": {\"sts:ExternalId\": \"*\"}}",
        )]);
        assert_eq!(codes(&text), ["T005", "T006"]);
    }

    #[test]
    fn on_a_misspelt_key_it_is_always_true() {
        let text = policy(&[grant(&format!(
            "{{\"StringEqualsIfExists\": {{\"sts:External_Id\": \"{ID}\"}}}}"
        ))]);
        assert_eq!(codes(&text), ["T005"]);
        assert_eq!(
            only(&text, "T005").message,
            "`StringEqualsIfExists` on `sts:External_Id` is always true: `sts:External_Id` is not the `sts:ExternalId` key, so STS never sets it, and the vendor's role can assume the role without an External ID"
        );
    }
}
