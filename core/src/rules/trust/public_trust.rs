use crate::policy::{Checked, Statement, Str};
use crate::rules::{declare_rule, Sink};

use super::analysis::{id_entries, Caller, IdKey, Phase, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// A trust policy that lets any AWS principal assume the role: `"Principal": "*"` or
    /// `{"AWS": "*"}` (pitfall P9), even with an External ID condition. byokcheck evaluates
    /// `sts:AssumeRole` by an anonymous caller and by a role of an unrelated account, both
    /// presenting the console's External ID.
    ///
    /// ## Why it matters
    /// The External ID is not a secret (anyone who can read the role, or the vendor's console,
    /// sees it), so a condition on it alone does not keep other accounts out: anyone in AWS can
    /// obtain this role's permissions on the key. Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Trust only the vendor's service role: `"Principal": {"AWS": "<service role ARN>"}`.
    pub(crate) static RULE = {
        code: "T012",
        name: "public-trust",
        severity: SecurityWarning,
        kinds: [Trust],
        check: Some(check),
    };
}

/// Runs the others phase once and reports every rule's part of it.
fn check(doc: &Checked<'_>, sink: &mut Sink) {
    super::run(doc, sink, Phase::Others);
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    star: Str<'_>,
    caller: &Caller,
) -> Problem {
    let protected = id_entries(statement).any(|(_, key)| key == IdKey::Exact);
    let note = if protected {
        ": the External ID condition does not stop it, since the External ID is not a secret"
    } else {
        ""
    };
    Problem::new(
        &RULE,
        Some(statement),
        star.span,
        format!(
            "the principal `{}` lets any AWS account assume this role ({} is allowed){note}",
            star.value,
            caller.describe()
        ),
        format!("trust only the vendor's role: `{}`", s.vendor_principal()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn a_star_principal_is_public_even_with_the_id() {
        for principal in ["\"*\"", "{\"AWS\": \"*\"}", "{\"AWS\": [\"*\"]}"] {
            let text = policy(&[statement(principal, "\"sts:AssumeRole\"", &right_id())]);
            assert_eq!(codes(&text), ["T012"], "{principal}");
            let f = only(&text, "T012");
            assert_eq!(
                f.message,
                "the principal `*` lets any AWS account assume this role (an anonymous caller is allowed): the External ID condition does not stop it, since the External ID is not a secret"
            );
            assert_eq!(under(&text, &f), "\"*\"");
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
    fn without_a_condition_it_is_also_a_missing_id() {
        let text = policy(&[statement("\"*\"", "\"sts:AssumeRole\"", "")]);
        assert_eq!(codes(&text), ["T004", "T012"]);
        assert_eq!(
            only(&text, "T012").message,
            "the principal `*` lets any AWS account assume this role (an anonymous caller is allowed)"
        );
    }

    #[test]
    fn an_account_condition_narrows_a_star() {
        // `*` limited to the vendor's account is not public: T013 says what it is.
        let text = policy(&[statement(
            "\"*\"",
            "\"sts:AssumeRole\"",
            &format!("{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\", \"aws:PrincipalAccount\": \"358587034707\"}}}}"),
        )]);
        assert_eq!(codes(&text), ["T013"]);
    }
}
