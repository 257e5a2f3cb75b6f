use crate::policy::{Statement, Str};
use crate::rules::declare_rule;

use super::analysis::{Caller, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// A trust policy that trusts the vendor's whole account (its root ARN
    /// `arn:aws:iam::ACCOUNT:root`, its bare account id, or `*` limited to that account by a
    /// condition) instead of the vendor's service role (pitfall P10). byokcheck evaluates
    /// `sts:AssumeRole` by another role of the vendor's account, presenting the console's
    /// External ID.
    ///
    /// ## Why it matters
    /// Trusting an account delegates to it: every role and user there that the vendor's own
    /// IAM allows to call `sts:AssumeRole` can assume this role, not only the platform's service
    /// role the contract names. Someone other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the vendor's service role ARN as the principal:
    /// `"Principal": {"AWS": "<service role ARN>"}`.
    pub(crate) static RULE = {
        code: "T013",
        name: "vendor-account-trusted",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the others phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    value: Str<'_>,
    caller: &Caller,
) -> Problem {
    let account = s.vendor_account;
    let message = if value.value == "*" {
        format!(
            "the principal `*` with its conditions lets any role of the vendor's account `{account}` assume this role (such as {}), not only its service role",
            caller.describe()
        )
    } else {
        format!(
            "`{}` trusts the vendor's whole account `{account}`, not only its service role: any role there that its IAM allows can assume this role (such as {})",
            value.value,
            caller.describe()
        )
    };
    Problem::new(
        &RULE,
        Some(statement),
        value.span,
        message,
        format!("trust only the vendor's role: `{}`", s.vendor_principal()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn root_arn_and_bare_account_id() {
        for value in ["arn:aws:iam::358587034707:root", "358587034707"] {
            let text = policy(&[statement(
                &format!("{{\"AWS\": \"{value}\"}}"),
                "\"sts:AssumeRole\"",
                &right_id(),
            )]);
            assert_eq!(codes(&text), ["T013"], "{value}");
            let f = only(&text, "T013");
            assert_eq!(
                f.message,
                format!("`{value}` trusts the vendor's whole account `358587034707`, not only its service role: any role there that its IAM allows can assume this role (such as `arn:aws:iam::358587034707:role/Other`)")
            );
            assert_eq!(under(&text, &f), format!("\"{value}\""));
            assert_eq!(f.line, 4);
            assert_eq!(
                f.help.as_deref(),
                Some(
                    format!(
                        "trust only the vendor's role: `\"Principal\": {{\"AWS\": \"{VENDOR}\"}}`"
                    )
                    .as_str()
                )
            );
        }
    }

    #[test]
    fn an_exact_principal_arn_condition_pins_the_role() {
        // P19: the account as principal plus `aws:PrincipalArn` equal to the role is exact.
        let text = policy(&[statement(
            "{\"AWS\": \"358587034707\"}",
            "\"sts:AssumeRole\"",
            &format!("{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"ArnEquals\": {{\"aws:PrincipalArn\": \"{VENDOR}\"}}}}"),
        )]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }
}
