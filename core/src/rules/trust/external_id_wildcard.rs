use crate::policy::{ConditionEntry, ConditionValue, Statement};
use crate::rules::declare_rule;

use super::analysis::{Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// `StringLike` on `sts:ExternalId` with a `*` or `?` that accepts External IDs other than
    /// the console's (pitfall P3). byokcheck builds an External ID the pattern accepts and
    /// evaluates the vendor's request with it; the message names the family of ids accepted.
    ///
    /// ## Why it matters
    /// The External ID is chosen by the caller: with a pattern, another customer's id (or any
    /// id, for `*`) lets the vendor's platform assume this role on that customer's behalf. The
    /// setup works, but someone other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"sts:ExternalId": "kore-*"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Compare the exact value: `"StringEquals": {"sts:ExternalId": "<console value>"}`.
    pub(crate) static RULE = {
        code: "T006",
        name: "external-id-wildcard",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the bypass phase's check (see the module documentation).
        check: None,
    };
}

/// The External IDs a `StringLike` pattern accepts, in words.
fn family(pattern: &str) -> String {
    let wild = |c: char| c == '*' || c == '?';
    if pattern.chars().all(|c| c == '*') {
        return "any External ID".to_string();
    }
    let inner = pattern.trim_matches('*');
    if !inner.contains(wild) {
        match (pattern.starts_with('*'), pattern.ends_with('*')) {
            (false, true) => return format!("every External ID that starts with `{inner}`"),
            (true, false) => return format!("every External ID that ends with `{inner}`"),
            (true, true) => return format!("every External ID that contains `{inner}`"),
            (false, false) => {}
        }
    }
    format!("every External ID that matches `{pattern}`")
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    value: &ConditionValue<'_>,
    accepted: &str,
) -> Problem {
    Problem::new(
        &RULE,
        Some(statement),
        value.span,
        format!(
            "`{}` with `{}` accepts {}, such as `{accepted}`, not only the console's `{}`",
            entry.operator.value,
            value.text,
            family(value.text),
            s.external_id
        ),
        format!("write `{}`", s.id_condition()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    fn with_pattern(pattern: &str) -> String {
        policy(&[grant(&format!(
            "{{\"StringLike\": {{\"sts:ExternalId\": \"{pattern}\"}}}}"
        ))])
    }

    #[test]
    fn each_pattern_is_named_even_when_an_earlier_one_covers_it() {
        let text = policy(&[grant(
            "{\"StringLike\": {\"sts:ExternalId\": [\"kore-*\", \"kore-7f3a*\"]}}",
        )]);
        assert_eq!(spans(&text, "T006"), ["\"kore-*\"", "\"kore-7f3a*\""]);
    }

    #[test]
    fn names_the_accepted_family() {
        for (pattern, expected) in [
            ("*", "`StringLike` with `*` accepts any External ID, such as `byokcheck-other-tenant`, not only the console's `kore-7f3a9c2e-byok`"),
            ("kore-*", "`StringLike` with `kore-*` accepts every External ID that starts with `kore-`, such as `kore-x1`, not only the console's `kore-7f3a9c2e-byok`"),
            ("*-byok", "`StringLike` with `*-byok` accepts every External ID that ends with `-byok`, such as `x1-byok`, not only the console's `kore-7f3a9c2e-byok`"),
            ("kore-7f3a9c2e-byo?", "`StringLike` with `kore-7f3a9c2e-byo?` accepts every External ID that matches `kore-7f3a9c2e-byo?`, such as `kore-7f3a9c2e-byox`, not only the console's `kore-7f3a9c2e-byok`"),
        ] {
            let text = with_pattern(pattern);
            assert_eq!(codes(&text), ["T006"], "{pattern}");
            let f = only(&text, "T006");
            assert_eq!(f.message, expected);
            assert_eq!(under(&text, &f), format!("\"{pattern}\""));
            assert_eq!(f.line, 4);
            assert_eq!(
                f.help.as_deref(),
                Some("write `\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}`")
            );
        }
    }

    #[test]
    fn like_without_a_wildcard_is_exact() {
        assert_eq!(codes(&with_pattern(ID)), Vec::<String>::new());
    }

    #[test]
    fn each_pattern_is_named_with_an_id_it_accepts() {
        // The other tenant's id gets in through `*`, not through `kore-*`, which comes first.
        let text = policy(&[grant(
            "{\"StringLike\": {\"sts:ExternalId\": [\"kore-*\", \"*\"]}}",
        )]);
        let found = findings(&text);
        let flagged: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (under(&text, f), f.message.as_str()))
            .collect();
        assert_eq!(
            flagged,
            [
                ("\"kore-*\"", "`StringLike` with `kore-*` accepts every External ID that starts with `kore-`, such as `kore-x1`, not only the console's `kore-7f3a9c2e-byok`"),
                ("\"*\"", "`StringLike` with `*` accepts any External ID, such as `byokcheck-other-tenant`, not only the console's `kore-7f3a9c2e-byok`"),
            ]
        );
        // A second exact value under `StringLike` is a second id, not a pattern.
        let text = policy(&[grant(&format!(
            "{{\"StringLike\": {{\"sts:ExternalId\": [\"{ID}\", \"byokcheck-other-tenant\"]}}}}"
        ))]);
        assert_eq!(codes(&text), ["T009"]);
    }

    #[test]
    fn a_deny_can_close_the_pattern() {
        let text = policy(&[
            grant("{\"StringLike\": {\"sts:ExternalId\": \"*\"}}"),
            format!("{{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": {{\"StringNotEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}}}"),
        ]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }
}
