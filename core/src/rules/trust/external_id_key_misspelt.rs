use crate::policy::{ConditionEntry, Statement};
use crate::rules::declare_rule;

use super::analysis::{Problem, Setup, EXTERNAL_ID};

declare_rule! {
    /// ## What it catches
    /// A condition key that is a near miss of `sts:ExternalId` (`sts:ExternalIds`,
    /// `aws:ExternalId`, `sts:Externalld`, `sts:External_Id`) when it keeps the vendor's role
    /// out: under `StringEquals` the misspelt key is never in the request, so the condition
    /// fails, and the vendor's request with the console's External ID is refused (found by
    /// evaluating it). Condition keys are case-insensitive, so `sts:ExternalID` and
    /// `sts:externalid` are the right key and not reported. When the misspelling opens the role
    /// instead (under a negated operator, `…IfExists` or `ForAllValues:`, the condition is always
    /// true), the rule for that operator reports it (`external-id-negated-or-null`,
    /// `external-id-if-exists`, `external-id-for-all-values`), as a Security warning.
    ///
    /// ## Why it matters
    /// The vendor cannot assume the role: Error. IAM accepts the policy, since any key name is
    /// valid, so nothing else tells.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the key as `sts:ExternalId`.
    pub(crate) static RULE = {
        code: "T011",
        name: "external-id-key-misspelt",
        severity: Error,
        kinds: [Trust],
        // Reported by the vendor phase's check (see the module documentation).
        check: None,
    };
}

/// The misspelt key refuses the vendor (in an Allow), or makes a Deny apply to it.
pub(super) fn problem(
    _: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    deny: bool,
) -> Problem {
    let key = entry.key.value;
    let effect = if deny {
        format!(
            "{} denies every request, the vendor's too",
            statement.label()
        )
    } else {
        format!("{} refuses the vendor's role", statement.label())
    };
    Problem::new(
        &RULE,
        Some(statement),
        entry.key.span,
        format!("`{key}` is not the condition key `{EXTERNAL_ID}`: STS never sets it, so {effect}"),
        format!("write `\"{EXTERNAL_ID}\"`"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn each_misspelling_refuses_the_vendor() {
        for key in [
            "sts:ExternalIds",
            "aws:ExternalId",
            "sts:Externalld",
            "sts:External_Id",
            "ExternalId",
        ] {
            let text = policy(&[grant(&format!(
                "{{\"StringEquals\": {{\"{key}\": \"{ID}\"}}}}"
            ))]);
            assert_eq!(codes(&text), ["T011"], "{key}");
            let f = only(&text, "T011");
            assert_eq!(
                f.message,
                format!("`{key}` is not the condition key `sts:ExternalId`: STS never sets it, so statement 0 refuses the vendor's role")
            );
            assert_eq!(under(&text, &f), format!("\"{key}\""));
            assert_eq!(f.line, 4);
            assert_eq!(f.help.as_deref(), Some("write `\"sts:ExternalId\"`"));
        }
    }

    #[test]
    fn a_misspelt_pattern_is_no_wildcard_over_the_id() {
        // Under IfExists the misspelt key lets every request in (T005 says so, and that is the
        // whole story); its pattern never applies to `sts:ExternalId`, so it is not T006's
        // wildcard over the id.
        let text = policy(&[grant(
            "{\"StringLikeIfExists\": {\"sts:ExternalIds\": \"kore-*\"}}",
        )]);
        assert_eq!(codes(&text), ["T005"]);
    }

    #[test]
    fn the_key_in_another_case_is_the_right_key() {
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalID\": \"{ID}\"}}}}"
        ))]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }

    #[test]
    fn a_misspelt_key_in_a_deny_shuts_everyone_out() {
        let text = policy(&[
            grant(&right_id()),
            format!("{{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": {{\"StringNotEquals\": {{\"sts:ExternalIds\": \"{ID}\"}}}}}}"),
        ]);
        assert_eq!(codes(&text), ["T011"]);
        assert_eq!(
            only(&text, "T011").message,
            "`sts:ExternalIds` is not the condition key `sts:ExternalId`: STS never sets it, so statement 1 denies every request, the vendor's too"
        );
    }

    #[test]
    fn other_keys_are_not_misspellings() {
        for key in [
            "sts:RoleSessionName",
            "sts:SourceIdentity",
            "aws:PrincipalArn",
            // Keys the catalog does not know are compared by spelling, and these are far off.
            "kore:tenant",
            "sts:ExternalName",
            "aws:ExternalSystem",
        ] {
            assert_eq!(super::super::analysis::id_key(key), None, "{key}");
        }
    }

    #[test]
    fn a_long_near_miss_under_another_prefix_is_a_misspelling() {
        assert_eq!(
            super::super::analysis::id_key("aws:Externalld"),
            Some(super::super::analysis::IdKey::Misspelt)
        );
    }
}
