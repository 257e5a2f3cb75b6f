use crate::policy::{Checked, Statement};
use crate::rules::{declare_rule, Sink};

use super::federation::{federated, Provider};

declare_rule! {
    /// ## What it catches
    /// A trust statement whose `Action` names `sts:AssumeRoleWithSAML` for an OIDC provider
    /// or web identity domain, or `sts:AssumeRoleWithWebIdentity` for a SAML provider, and not
    /// the other action. Only actions written by name count; a statement listing both is left
    /// alone, since each provider then has the action it needs. Access Analyzer:
    /// `MISMATCHED_ACTION_FOR_PRINCIPAL`.
    ///
    /// ## Why it matters
    /// SAML providers sign in only with `AssumeRoleWithSAML`, OIDC providers only with
    /// `AssumeRoleWithWebIdentity`: the statement allows a call its provider never makes, so
    /// federation fails. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Use `sts:AssumeRoleWithSAML` with a `saml-provider` principal and
    /// `sts:AssumeRoleWithWebIdentity` with an `oidc-provider` principal or web identity domain.
    pub(crate) static RULE = {
        code: "X015",
        name: "mismatched-action-for-principal",
        severity: Error,
        kinds: [Trust],
        check: Some(check),
    };
}

const SAML: &str = "sts:AssumeRoleWithSAML";
const WEB: &str = "sts:AssumeRoleWithWebIdentity";

fn names(statement: &Statement<'_>, action: &str) -> bool {
    statement.action.as_ref().is_some_and(|a| {
        !a.negated
            && a.values
                .items
                .iter()
                .any(|v| v.value.eq_ignore_ascii_case(action))
    })
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let (saml, web) = (names(statement, SAML), names(statement, WEB));
        if saml == web {
            continue;
        }
        for (value, provider) in federated(statement) {
            let (kind, needed, written) = match provider {
                Provider::Saml if web => ("a SAML provider", SAML, WEB),
                Provider::Oidc(_) if saml => ("an OIDC provider", WEB, SAML),
                _ => continue,
            };
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is {kind}, but {} allows it `{written}`: it signs in only with `{needed}`",
                    value.value,
                    statement.label()
                ),
                Some(format!("write `\"Action\": \"{needed}\"`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    fn trust(federated: &str, action: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": {federated}}}, "Action": {action}}}]}}"#
        )
    }

    #[test]
    fn each_provider_with_the_other_action() {
        let text = trust(
            r#"["accounts.google.com", "arn:aws:iam::111122223333:saml-provider/Corp"]"#,
            r#""sts:AssumeRoleWithSAML""#,
        );
        let found = findings(&text, DocumentKind::Trust, "X015");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`accounts.google.com` is an OIDC provider, but statement 0 allows it `sts:AssumeRoleWithSAML`: it signs in only with `sts:AssumeRoleWithWebIdentity`"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"Action\": \"sts:AssumeRoleWithWebIdentity\"`")
        );
        let both = trust(
            r#""accounts.google.com""#,
            r#"["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]"#,
        );
        assert!(findings(&both, DocumentKind::Trust, "X015").is_empty());
        let wildcard = trust(r#""accounts.google.com""#, r#""sts:AssumeRoleWith*""#);
        assert!(findings(&wildcard, DocumentKind::Trust, "X015").is_empty());
    }

    #[test]
    fn only_the_provider_the_action_does_not_fit() {
        let text = trust(
            r#"["accounts.google.com", "arn:aws:iam::111122223333:saml-provider/Corp"]"#,
            r#""sts:AssumeRoleWithWebIdentity""#,
        );
        let found = findings(&text, DocumentKind::Trust, "X015");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`arn:aws:iam::111122223333:saml-provider/Corp` is a SAML provider, but statement 0 allows it `sts:AssumeRoleWithWebIdentity`: it signs in only with `sts:AssumeRoleWithSAML`"
        );
    }
}
