use crate::policy::{ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// An `aws:MultiFactorAuthPresent` or `aws:MultiFactorAuthAge` condition that refuses the
    /// vendor's role: in the statement that would let it in, or in a `Deny` that applies to it.
    /// Found by evaluating the vendor's request, made with a role session's keys
    /// (`aws:MultiFactorAuthPresent` is `false`, `aws:MultiFactorAuthAge` absent). It is a
    /// specific cause of `vendor-cannot-assume`, which then does not fire.
    ///
    /// ## Why it matters
    /// A vendor's service role calls `AssumeRole` from software and never authenticates with
    /// MFA, so the condition always refuses it: the vendor cannot assume the role. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the MFA condition: the External ID (and the exact principal) is what protects a
    /// role that a vendor's service assumes.
    pub(crate) static RULE = {
        code: "T020",
        name: "mfa-required",
        severity: Error,
        kinds: [Trust],
        // Reported by the vendor phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    _: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    deny: bool,
) -> Problem {
    let (operator, key) = (entry.operator.value, entry.key.value);
    let message = if deny {
        format!(
            "{} denies requests without MFA (`{operator}` on `{key}`), and the vendor's service role never signs in with MFA: it cannot assume the role",
            statement.label()
        )
    } else {
        format!(
            "`{operator}` on `{key}` requires MFA, and the vendor's service role never signs in with MFA: it cannot assume the role"
        )
    };
    Problem::new(
        &RULE,
        Some(statement),
        entry.key.span,
        message,
        format!("remove the `{key}` condition: the External ID is what protects a vendor's role"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn mfa_conditions_refuse_a_service_role() {
        for (extra, key) in [
            (
                "\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}",
                "aws:MultiFactorAuthPresent",
            ),
            (
                "\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"true\"}",
                "aws:MultiFactorAuthPresent",
            ),
            (
                "\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"3600\"}",
                "aws:MultiFactorAuthAge",
            ),
        ] {
            let text = policy(&[grant(&format!(
                "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, {extra}}}"
            ))]);
            assert_eq!(codes(&text), ["T020"], "{extra}");
            let f = only(&text, "T020");
            assert!(f.message.ends_with("requires MFA, and the vendor's service role never signs in with MFA: it cannot assume the role"), "{}", f.message);
            assert_eq!(under(&text, &f), format!("\"{key}\""));
            assert_eq!(f.line, 4);
            assert_eq!(
                f.help.as_deref(),
                Some(format!("remove the `{key}` condition: the External ID is what protects a vendor's role").as_str())
            );
        }
    }

    #[test]
    fn a_deny_without_mfa() {
        let text = policy(&[
            grant(&right_id()),
            "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": {\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}}}".to_string(),
        ]);
        assert_eq!(codes(&text), ["T020"]);
        assert_eq!(
            only(&text, "T020").message,
            "statement 1 denies requests without MFA (`BoolIfExists` on `aws:MultiFactorAuthPresent`), and the vendor's service role never signs in with MFA: it cannot assume the role"
        );
    }
}
