use crate::policy::{ConditionEntry, ConditionValue, Statement};
use crate::rules::declare_rule;

use super::analysis::{Caller, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// An `aws:PrincipalArn` condition with `ArnLike`/`StringLike` wildcards that admits roles
    /// other than the vendor's service role (pitfall P11), such as
    /// `arn:aws:iam::358587034707:role/*` or `arn:aws:iam::*:role/SegBots-Servers-Role`.
    /// byokcheck builds a role ARN the pattern admits and evaluates `sts:AssumeRole` by it with
    /// the console's External ID.
    ///
    /// ## Why it matters
    /// Every role the pattern admits can assume this role, in the vendor's account or, with a
    /// wildcard account, in any account where someone creates a role of that name. Someone
    /// other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "358587034707"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}, "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::358587034707:role/*"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "358587034707"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}, "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Compare the exact role ARN:
    /// `"ArnEquals": {"aws:PrincipalArn": "<service role ARN>"}`.
    pub(crate) static RULE = {
        code: "T014",
        name: "principal-arn-wildcard",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the others phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    value: &ConditionValue<'_>,
    caller: &Caller,
) -> Problem {
    Problem::new(
        &RULE,
        Some(statement),
        value.span,
        format!(
            "`{}` on `{}` with `{}` admits other roles than the vendor's (such as {}), and they can assume this role",
            entry.operator.value,
            entry.key.value,
            value.text,
            caller.describe()
        ),
        format!(
            "compare the vendor's role exactly: `\"ArnEquals\": {{\"aws:PrincipalArn\": \"{}\"}}`",
            s.vendor
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    fn with(pattern_condition: &str, principal: &str) -> String {
        policy(&[statement(
            principal,
            "\"sts:AssumeRole\"",
            &format!("{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, {pattern_condition}}}"),
        )])
    }

    #[test]
    fn a_wildcard_role_name() {
        let text = with(
            "\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/*\"}",
            "{\"AWS\": \"358587034707\"}",
        );
        assert_eq!(codes(&text), ["T014"]);
        let f = only(&text, "T014");
        assert_eq!(
            f.message,
            "`ArnLike` on `aws:PrincipalArn` with `arn:aws:iam::358587034707:role/*` admits other roles than the vendor's (such as `arn:aws:iam::358587034707:role/Other`), and they can assume this role"
        );
        assert_eq!(under(&text, &f), "\"arn:aws:iam::358587034707:role/*\"");
        assert_eq!(f.line, 4);
        assert_eq!(
            f.help.as_deref(),
            Some(format!("compare the vendor's role exactly: `\"ArnEquals\": {{\"aws:PrincipalArn\": \"{VENDOR}\"}}`").as_str())
        );
    }

    #[test]
    fn each_pattern_is_named_for_the_roles_it_admits() {
        let text = with(
            "\"ArnLike\": {\"aws:PrincipalArn\": [\"arn:aws:iam::358587034707:role/SegBots-*\", \"arn:aws:iam::358587034707:role/Oth*\"]}",
            "{\"AWS\": \"358587034707\"}",
        );
        assert_eq!(
            spans(&text, "T014"),
            [
                "\"arn:aws:iam::358587034707:role/SegBots-*\"",
                "\"arn:aws:iam::358587034707:role/Oth*\""
            ]
        );
    }

    #[test]
    fn an_exact_arn_of_another_role_is_not_a_wildcard() {
        let text = with(
            "\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/Other\"}",
            "{\"AWS\": \"358587034707\"}",
        );
        // The vendor is refused (T001) and a role of its account gets in (T013), through no
        // wildcard: not this finding.
        assert_eq!(codes(&text), ["T001", "T013"]);
    }

    #[test]
    fn the_role_named_is_never_the_vendors_own() {
        // `*` filled with `Attacker` would give the vendor's own role here: the example is
        // another role the pattern admits.
        let vendor = "arn:aws:iam::358587034707:role/XAttacker";
        let context = crate::Context {
            service_role_arn: Some(vendor.into()),
            ..crate::Context::example()
        };
        let text = with(
            "\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/X*\"}",
            "{\"AWS\": \"358587034707\"}",
        );
        let found: Vec<_> = findings_with(&text, &context)
            .into_iter()
            .filter(|f| f.code == "T014")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`ArnLike` on `aws:PrincipalArn` with `arn:aws:iam::358587034707:role/X*` admits other roles than the vendor's (such as `arn:aws:iam::358587034707:role/X`), and they can assume this role"
        );
    }

    #[test]
    fn a_deny_of_one_admitted_role_leaves_the_others_admitted() {
        // The generic "another role of the vendor's account" is denied by name; the pattern
        // still admits every other role of that account.
        let deny = "{\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/Other\"}, \"Action\": \"sts:AssumeRole\"}";
        let text = policy(&[
            statement(
                "{\"AWS\": \"358587034707\"}",
                "\"sts:AssumeRole\"",
                &format!("{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"ArnLike\": {{\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/*\"}}}}"),
            ),
            deny.to_string(),
        ]);
        assert_eq!(codes(&text), ["T014"]);
        assert!(only(&text, "T014")
            .message
            .contains("(such as `arn:aws:iam::358587034707:role/Attacker`)"));
    }

    #[test]
    fn a_wildcard_account() {
        let text = with(
            "\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/SegBots-Servers-Role\"}",
            "\"*\"",
        );
        assert_eq!(codes(&text), ["T014"]);
        assert!(only(&text, "T014")
            .message
            .contains("(such as `arn:aws:iam::999988887777:role/SegBots-Servers-Role`)"));
    }

    #[test]
    fn a_string_like_prefix() {
        let text = with(
            "\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/SegBots-*\"}",
            "{\"AWS\": \"358587034707\"}",
        );
        assert_eq!(codes(&text), ["T014"]);
        assert!(only(&text, "T014")
            .message
            .contains("(such as `arn:aws:iam::358587034707:role/SegBots-Attacker`)"));
    }
}
