use crate::policy::Statement;
use crate::rules::declare_rule;
use crate::source::Span;

use super::analysis::{Caller, Problem, Setup};

declare_rule! {
    /// ## What it catches
    /// `NotPrincipal` with `Allow` in a trust policy (pitfall P12): byokcheck evaluates
    /// `sts:AssumeRole` by principals it does not list, presenting the console's External ID,
    /// and names one that gets in. `not-principal-in-trust-policy` reports that IAM rejects
    /// `NotPrincipal` in a trust policy; this rule says what the statement would do.
    ///
    /// ## Why it matters
    /// `Allow` with `NotPrincipal` means "everyone except these": every AWS account could
    /// assume the role. Someone other than intended can get in: Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `Principal` naming the vendor's service role:
    /// `"Principal": {"AWS": "<service role ARN>"}`.
    pub(crate) static RULE = {
        code: "T016",
        name: "not-principal-allow",
        severity: SecurityWarning,
        kinds: [Trust],
        // Reported by the others phase's check (see the module documentation).
        check: None,
    };
}

pub(super) fn problem(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    key_span: Span,
    caller: &Caller,
) -> Problem {
    Problem::new(
        &RULE,
        Some(statement),
        key_span,
        format!(
            "`NotPrincipal` with `Allow` lets every principal it does not list assume this role (such as {})",
            caller.describe()
        ),
        format!("write `{}` instead", s.vendor_principal()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn everyone_but_the_listed_gets_in() {
        let text = policy(&[format!(
            "{{\"Effect\": \"Allow\", \"NotPrincipal\": {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, \"Action\": \"sts:AssumeRole\", \"Condition\": {}}}",
            right_id()
        )]);
        assert_eq!(codes(&text), ["T016"]);
        let f = only(&text, "T016");
        assert_eq!(
            f.message,
            "`NotPrincipal` with `Allow` lets every principal it does not list assume this role (such as an anonymous caller)"
        );
        assert_eq!(under(&text, &f), "\"NotPrincipal\"");
        assert_eq!(f.line, 4);
        assert_eq!(
            f.help.as_deref(),
            Some(format!("write `\"Principal\": {{\"AWS\": \"{VENDOR}\"}}` instead").as_str())
        );
        // The grammar rule reports that IAM rejects it; both stay.
        assert!(crate::check(
            &text,
            crate::DocumentKind::Trust,
            &crate::Context::example()
        )
        .has("G017"));
    }

    #[test]
    fn listing_the_vendor_also_shuts_it_out() {
        let text = policy(&[format!(
            "{{\"Effect\": \"Allow\", \"NotPrincipal\": {{\"AWS\": \"{VENDOR}\"}}, \"Action\": \"sts:AssumeRole\", \"Condition\": {}}}",
            right_id()
        )]);
        assert_eq!(codes(&text), ["T001", "T016"]);
    }
}
