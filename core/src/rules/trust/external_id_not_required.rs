use crate::policy::{Checked, Statement};
use crate::rules::{declare_rule, Sink};

use super::analysis::{condition_or_statement, Phase, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// A trust policy that lets the vendor's role assume the role without the console's
    /// External ID (with none, or with another one), for a reason no more specific rule names.
    /// byokcheck evaluates the vendor's request without an External ID, with another one, and
    /// with every value the policy's own conditions accept; the usual causes have rules of their
    /// own (`missing-external-id-condition`, `external-id-if-exists`, `external-id-wildcard`,
    /// `external-id-for-all-values`, `external-id-negated-or-null`, `multiple-external-ids`,
    /// `unconditioned-second-statement`), and this rule reports the rest, such as a condition
    /// that compares the External ID with a policy variable.
    ///
    /// ## Why it matters
    /// The External ID is what stops the confused deputy: another customer of the vendor who
    /// learns this role's ARN can have the vendor's platform assume it. The setup works, but
    /// someone other than intended can get in, so it is a Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "${sts:ExternalId}"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Require exactly the console's External ID: `"Condition": {"StringEquals":
    /// {"sts:ExternalId": "<console value>"}}`, and no other way in.
    pub(crate) static RULE = {
        code: "T003",
        name: "external-id-not-required",
        severity: SecurityWarning,
        kinds: [Trust],
        check: Some(check),
    };
}

/// Runs the bypass phase once and reports every rule's part of it.
fn check(doc: &Checked<'_>, sink: &mut Sink) {
    super::run(doc, sink, Phase::Bypass);
}

/// `statement` admits the vendor's request presenting `id` (none when `None`).
pub(super) fn problem(s: &Setup<'_>, statement: &Statement<'_>, id: Option<&str>) -> Problem {
    let how = match id {
        None => "without an External ID".to_string(),
        Some(id) => format!("with the External ID `{id}`"),
    };
    let label = statement.label();
    Problem::new(
        &RULE,
        Some(statement),
        condition_or_statement(statement),
        format!(
            "the vendor's role can assume the role {how}: {label} does not require the console's External ID `{}`",
            s.external_id
        ),
        format!(
            "require exactly the console's External ID in {label}: `{}`",
            s.id_condition()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn a_self_referencing_variable_accepts_any_id() {
        let text = policy(&[grant(
            "{\"StringEquals\": {\"sts:ExternalId\": \"${sts:ExternalId}\"}}",
        )]);
        assert_eq!(codes(&text), ["T003"]);
        let f = only(&text, "T003");
        assert_eq!(
            f.message,
            "the vendor's role can assume the role with the External ID `byokcheck-other-tenant`: statement 0 does not require the console's External ID `kore-7f3a9c2e-byok`"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("require exactly the console's External ID in statement 0: `\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"}`")
        );
        assert_eq!(under(&text, &f), "\"Condition\"");
        assert_eq!(f.line, 4);
    }

    #[test]
    fn never_beside_a_specific_rule() {
        for condition in [
            String::new(),
            format!("{{\"StringEqualsIfExists\": {{\"sts:ExternalId\": \"{ID}\"}}}}"),
            "{\"StringLike\": {\"sts:ExternalId\": \"*\"}}".to_string(),
            "{\"StringLikeIfExists\": {\"sts:ExternalId\": \"*\"}}".to_string(),
            "{\"Null\": {\"sts:ExternalId\": \"false\"}}".to_string(),
        ] {
            let text = policy(&[grant(&condition)]);
            let codes = codes(&text);
            assert!(
                !codes.is_empty() && !codes.contains(&"T003".to_string()),
                "{condition}: {codes:?}"
            );
        }
    }
}
