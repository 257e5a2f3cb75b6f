use std::collections::BTreeSet;

use crate::policy::{ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{listing, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// An `sts:ExternalId` condition with more than one value (pitfall P7), even when the
    /// console's External ID is among them: byokcheck evaluates the vendor's request with each
    /// other value and reports the condition when one is let in.
    ///
    /// ## Why it matters
    /// Values of one condition key are OR-ed: the role accepts each listed External ID, so
    /// whoever holds another tenant's id (the vendor's other customer, for instance) can have
    /// the vendor's platform assume this role. The setup works, but someone other than intended
    /// can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": ["kore-7f3a9c2e-byok", "kore-00aa11bb-byok"]}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep only the console's External ID: `"sts:ExternalId": "<console value>"`. A role per
    /// tenant, each with its own External ID.
    pub(crate) static RULE = {
        code: "T009",
        name: "multiple-external-ids",
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
) -> Problem {
    let distinct: BTreeSet<&str> = entry.values.iter().map(|v| v.text).collect();
    let others: Vec<&str> = entry
        .values
        .iter()
        .map(|v| v.text)
        .filter(|v| *v != s.external_id)
        .collect();
    Problem::new(
        &RULE,
        Some(statement),
        entry.values_span,
        format!(
            "the condition accepts {} External IDs: besides the console's `{}`, the vendor's role can assume the role presenting {}",
            distinct.len(),
            s.external_id,
            listing(others)
        ),
        format!("write `{}`", s.id_pair()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn another_tenants_id_is_accepted_too() {
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": [\"{ID}\", \"kore-00aa11bb-byok\", \"tenant-9\"]}}}}"
        ))]);
        assert_eq!(codes(&text), ["T009"]);
        let f = only(&text, "T009");
        assert_eq!(
            f.message,
            "the condition accepts 3 External IDs: besides the console's `kore-7f3a9c2e-byok`, the vendor's role can assume the role presenting `kore-00aa11bb-byok` and `tenant-9`"
        );
        assert_eq!(
            under(&text, &f),
            "[\"kore-7f3a9c2e-byok\", \"kore-00aa11bb-byok\", \"tenant-9\"]"
        );
        assert_eq!(f.line, 4);
        assert_eq!(
            f.help.as_deref(),
            Some("write `\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"`")
        );
    }

    #[test]
    fn a_repeated_value_is_one_value() {
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": [\"{ID}\", \"{ID}\"]}}}}"
        ))]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }

    #[test]
    fn one_value_that_accepts_the_console_id_is_one_id() {
        // One value, which accepts the console's id when compared ignoring case: T009 is for
        // a list of several ids.
        let text = policy(&[grant(
            "{\"StringEqualsIgnoreCase\": {\"sts:ExternalId\": \"KORE-7F3A9C2E-BYOK\"}}",
        )]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }

    #[test]
    fn none_of_them_right_is_a_mismatch() {
        let text = policy(&[grant(
            "{\"StringEquals\": {\"sts:ExternalId\": [\"tenant-1\", \"tenant-2\"]}}",
        )]);
        assert_eq!(codes(&text), ["T002"]);
    }

    #[test]
    fn a_second_id_that_another_condition_refuses_is_harmless() {
        // `zeta-...` is listed, but the StringLike beside it turns it away: only the console's
        // id gets in.
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": [\"{ID}\", \"zeta-1234567890abcdef\"]}}, \"StringLike\": {{\"sts:ExternalId\": \"kore-*\"}}}}"
        ))]);
        assert!(
            !codes(&text).contains(&"T009".to_string()),
            "{:#?}",
            findings(&text)
        );
        let without = text.replace(", \"StringLike\": {\"sts:ExternalId\": \"kore-*\"}", "");
        assert!(codes(&without).contains(&"T009".to_string()), "{without}");
    }

    #[test]
    fn the_same_id_in_another_case_is_one_id_when_case_is_ignored() {
        let upper = ID.to_ascii_uppercase();
        let ignoring = policy(&[grant(&format!(
            "{{\"StringEqualsIgnoreCase\": {{\"sts:ExternalId\": [\"{ID}\", \"{upper}\"]}}}}"
        ))]);
        assert!(
            !codes(&ignoring).contains(&"T009".to_string()),
            "{:#?}",
            findings(&ignoring)
        );
        // Compared exactly, the upper-case copy is a second id that also gets in.
        let exact = ignoring.replace("StringEqualsIgnoreCase", "StringEquals");
        assert!(
            codes(&exact).contains(&"T009".to_string()),
            "{:#?}",
            findings(&exact)
        );
    }
}
