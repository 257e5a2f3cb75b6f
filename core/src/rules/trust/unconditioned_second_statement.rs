use crate::policy::Statement;
use crate::rules::declare_rule;

use super::analysis::{listing, Problem, Setup, ASSUME_ROLE};

declare_rule! {
    /// ## What it catches
    /// A statement that lets the vendor's role assume the role without the External ID
    /// condition that another statement of the policy requires (pitfall P8): a second grant of
    /// `sts:AssumeRole`, or of `sts:*`, `sts:Assume*`, `*`, or everything through `NotAction`.
    /// Found by evaluating the vendor's request without an External ID: the statement that lets
    /// it in is reported.
    ///
    /// ## Why it matters
    /// Statements are OR-ed: the unconditioned one lets the request in whatever the other one
    /// requires, so the External ID protects nothing. The setup works, but someone other than
    /// intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the second statement, or give it the same
    /// `"Condition": {"StringEquals": {"sts:ExternalId": "<console value>"}}`.
    pub(crate) static RULE = {
        code: "T010",
        name: "unconditioned-second-statement",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the bypass phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    protected: &Statement<'_>,
) -> Problem {
    let label = statement.label();
    // Say how a statement that does not name `sts:AssumeRole` still grants it.
    let through = statement
        .action
        .as_ref()
        .map(|action| {
            let values = listing(action.values.items.iter().map(|v| v.value));
            if action.negated {
                format!(" (its `NotAction` {values} leaves `{ASSUME_ROLE}` allowed)")
            } else if action
                .values
                .items
                .iter()
                .any(|v| v.value.eq_ignore_ascii_case(ASSUME_ROLE))
            {
                String::new()
            } else {
                format!(" (its `Action` {values} covers `{ASSUME_ROLE}`)")
            }
        })
        .unwrap_or_default();
    Problem::new(
        &RULE,
        Some(statement),
        statement.span,
        format!(
            "{label} lets the vendor's role assume the role without the External ID that {} requires{through}: statements are OR-ed, so no External ID is needed",
            protected.label()
        ),
        format!(
            "remove {label}, or add `\"Condition\": {{{}}}` to it",
            s.id_condition()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn points_at_the_second_statement() {
        for (action, through) in [
            ("\"sts:AssumeRole\"", String::new()),
            (
                "\"sts:*\"",
                " (its `Action` `sts:*` covers `sts:AssumeRole`)".to_string(),
            ),
            (
                "\"sts:Assume*\"",
                " (its `Action` `sts:Assume*` covers `sts:AssumeRole`)".to_string(),
            ),
            (
                "\"*\"",
                " (its `Action` `*` covers `sts:AssumeRole`)".to_string(),
            ),
        ] {
            let second = statement(&format!("{{\"AWS\": \"{VENDOR}\"}}"), action, "");
            let text = policy(&[grant(&right_id()), second.clone()]);
            assert_eq!(codes(&text), ["T010"], "{action}");
            let f = only(&text, "T010");
            assert_eq!(
                f.message,
                format!("statement 1 lets the vendor's role assume the role without the External ID that statement 0 requires{through}: statements are OR-ed, so no External ID is needed")
            );
            assert_eq!(under(&text, &f), second);
            assert_eq!(f.line, 5);
            assert_eq!(
                f.help.as_deref(),
                Some("remove statement 1, or add `\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}}` to it")
            );
        }
    }

    #[test]
    fn through_not_action() {
        let text = policy(&[
            grant(&right_id()),
            format!("{{\"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"{VENDOR}\"}}, \"NotAction\": \"iam:*\"}}"),
        ]);
        assert_eq!(codes(&text), ["T010"]);
        assert!(only(&text, "T010")
            .message
            .contains("(its `NotAction` `iam:*` leaves `sts:AssumeRole` allowed)"));
    }

    #[test]
    fn a_second_statement_for_tag_session_only_is_fine() {
        let text = policy(&[
            grant(&right_id()),
            statement(
                &format!("{{\"AWS\": \"{VENDOR}\"}}"),
                "\"sts:TagSession\"",
                "",
            ),
        ]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }
}
