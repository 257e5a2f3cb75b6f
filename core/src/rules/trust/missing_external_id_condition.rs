use crate::policy::Statement;
use crate::rules::declare_rule;

use super::analysis::{Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// A statement that lets the vendor's role assume the role and has no `sts:ExternalId`
    /// condition at all (pitfall P1), found by evaluating the vendor's request without an
    /// External ID. When another statement does require the External ID, the unconditioned one
    /// is `unconditioned-second-statement` instead.
    ///
    /// ## Why it matters
    /// This is the classic confused deputy: any other customer of the vendor who learns this
    /// role's ARN can enter it in the vendor's console, and the vendor's platform assumes it
    /// for them. The setup works, but someone other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `"Condition": {"StringEquals": {"sts:ExternalId": "<console value>"}}` to the
    /// statement.
    pub(crate) static RULE = {
        code: "T004",
        name: "missing-external-id-condition",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the bypass phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(s: &Setup<'_>, statement: &Statement<'_>) -> Problem {
    let (span, help) = match (&statement.condition, &statement.principal) {
        (Some(condition), _) => (
            condition.key_span,
            format!("add `{}` to its `Condition`", s.id_condition()),
        ),
        (None, principal) => (
            principal.as_ref().map_or(statement.span, |p| p.span),
            format!(
                "add `\"Condition\": {{{}}}` to {}",
                s.id_condition(),
                statement.label()
            ),
        ),
    };
    Problem::new(
        &RULE,
        Some(statement),
        span,
        format!(
            "{} lets the vendor's role assume the role without an External ID: it has no `sts:ExternalId` condition",
            statement.label()
        ),
        help,
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn points_at_the_unprotected_principal() {
        let text = policy(&[grant("")]);
        assert_eq!(codes(&text), ["T004"]);
        let f = only(&text, "T004");
        assert_eq!(
            f.message,
            "statement 0 lets the vendor's role assume the role without an External ID: it has no `sts:ExternalId` condition"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("add `\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}}` to statement 0")
        );
        assert_eq!(under(&text, &f), format!("{{\"AWS\": \"{VENDOR}\"}}"));
        assert_eq!(f.line, 4);
    }

    #[test]
    fn two_unprotected_statements_are_each_missing_the_condition() {
        // Neither requires the id, so neither is the "second" statement beside a protected one.
        let text = policy(&[
            grant(""),
            statement(
                &format!("{{\"AWS\": \"{VENDOR}\"}}"),
                "\"sts:TagSession\"",
                "",
            ),
        ]);
        assert_eq!(codes(&text), ["T004"]);
    }

    #[test]
    fn a_condition_on_other_keys_only() {
        let text = policy(&[grant(&format!(
            "{{\"ArnEquals\": {{\"aws:PrincipalArn\": \"{VENDOR}\"}}}}"
        ))]);
        assert_eq!(codes(&text), ["T004"]);
        let f = only(&text, "T004");
        assert_eq!(under(&text, &f), "\"Condition\"");
        assert_eq!(
            f.help.as_deref(),
            Some("add `\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}` to its `Condition`")
        );
    }

    #[test]
    fn a_deny_that_requires_the_id_protects_the_role() {
        let text = policy(&[
            grant(""),
            format!("{{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": {{\"StringNotEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}}}"),
        ]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }
}
