use crate::policy::{Checked, Effect};
use crate::rules::{declare_rule, Sink};

use super::federation::{conditions_on_provider, federated, is_github, Provider};

declare_rule! {
    /// ## What it catches
    /// An Allow to an OIDC identity provider (`"Federated": "arn:aws:iam::111122223333:oidc-provider/<host>"`,
    /// or a web identity domain such as `accounts.google.com`) with no condition on any of that
    /// provider's keys (`<host>:aud`, `<host>:sub`...). GitHub Actions' provider is left to
    /// `github-without-repo-condition`, which says which key it needs. Access Analyzer:
    /// `MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL`.
    ///
    /// ## Why it matters
    /// Without a condition the role trusts every token the provider issues: any application,
    /// any user of a public provider such as Google can assume it. SecurityWarning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:app", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Add conditions on the provider's keys: at least `<host>:aud` (the client ID) and
    /// `<host>:sub` (the user or workload).
    pub(crate) static RULE = {
        code: "X012",
        name: "oidc-principal-without-condition",
        severity: SecurityWarning,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        for (value, provider) in federated(statement) {
            let Provider::Oidc(prefix) = provider else {
                continue;
            };
            if is_github(prefix) || conditions_on_provider(statement, prefix) {
                continue;
            }
            sink.report(
                &RULE,
                value.span,
                format!(
                    "{} trusts the OIDC provider `{prefix}` with no condition on its keys: any token it issues can assume the role",
                    statement.label()
                ),
                Some(format!(
                    "add `\"Condition\": {{\"StringEquals\": {{\"{prefix}:aud\": \"<client ID>\", \"{prefix}:sub\": \"<subject>\"}}}}`"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    #[test]
    fn needs_a_key_of_the_same_provider() {
        let trust = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "accounts.google.com"}}, "Action": "sts:AssumeRoleWithWebIdentity"{condition}}}]}}"#
            )
        };
        let found = findings(&trust(""), DocumentKind::Trust, "X012");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement 0 trusts the OIDC provider `accounts.google.com` with no condition on its keys: any token it issues can assume the role"
        );
        let other = trust(r#", "Condition": {"StringEquals": {"graph.facebook.com:app_id": "1"}}"#);
        assert_eq!(findings(&other, DocumentKind::Trust, "X012").len(), 1);
        let own = trust(r#", "Condition": {"StringEquals": {"Accounts.Google.com:aud": "1"}}"#);
        assert!(findings(&own, DocumentKind::Trust, "X012").is_empty());
        let github = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        assert!(findings(github, DocumentKind::Trust, "X012").is_empty());
    }
}
