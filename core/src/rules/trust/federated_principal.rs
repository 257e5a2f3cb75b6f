use crate::eval::{principal_matches, PrincipalRef};
use crate::policy::{Checked, PrincipalKind};
use crate::rules::{declare_rule, Sink};

use super::analysis::{covers, is_allow, listing};

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";
const SAML: &str = "sts:AssumeRoleWithSAML";

declare_rule! {
    /// ## What it catches
    /// A `Federated` principal (an OIDC or SAML identity provider) allowed
    /// `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML` in the BYOK role's trust
    /// policy (pitfall P16). byokcheck matches the statement's principal and action for a caller
    /// of that provider; the provider's claim conditions are not evaluated.
    ///
    /// ## Why it matters
    /// The External ID does not exist in those flows: the role has a second way in that the
    /// vendor's contract does not cover, protected only by the claim conditions. IAM accepts it
    /// and it may be deliberate, so it is a Warning: BYOK roles are best kept for the vendor
    /// alone.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}, {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Give the federated users a role of their own; keep the BYOK role's trust policy to the
    /// vendor's service role.
    pub(crate) static RULE = {
        code: "T019",
        name: "federated-principal",
        severity: Warning,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in doc.policy.statements.iter().filter(|s| is_allow(s)) {
        let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        // Matching the actions costs more than looking for a `Federated` key: that first.
        if !principal
            .values()
            .any(|(kind, _)| kind == Some(PrincipalKind::Federated))
        {
            continue;
        }
        let flows: Vec<&str> = [WEB_IDENTITY, SAML]
            .into_iter()
            .filter(|action| covers(statement, action))
            .collect();
        if flows.is_empty() {
            continue;
        }
        for (kind, value) in principal.values() {
            if kind != Some(PrincipalKind::Federated)
                || principal_matches(principal, Some(&PrincipalRef::federated(value.value)))
                    .is_none()
            {
                continue;
            }
            sink.report(
                &RULE,
                value.span,
                format!(
                    "the federated principal `{}` can assume this role with {}: the External ID does not apply to that flow, so the role has a second way in besides the vendor's role",
                    value.value,
                    listing(flows.iter().copied())
                ),
                Some(format!(
                    "remove `{}` and give its users a role of their own",
                    value.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn a_web_identity_provider_beside_the_vendor() {
        let text = policy(&[
            grant(&right_id()),
            statement(
                "{\"Federated\": \"accounts.google.com\"}",
                "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringEquals\": {\"accounts.google.com:aud\": \"my-app\"}}",
            ),
        ]);
        assert_eq!(codes(&text), ["T019"]);
        let f = only(&text, "T019");
        assert_eq!(
            f.message,
            "the federated principal `accounts.google.com` can assume this role with `sts:AssumeRoleWithWebIdentity`: the External ID does not apply to that flow, so the role has a second way in besides the vendor's role"
        );
        assert_eq!(under(&text, &f), "\"accounts.google.com\"");
        assert_eq!(f.line, 5);
    }

    #[test]
    fn a_saml_provider_through_a_wildcard_action() {
        let text = policy(&[
            grant(&right_id()),
            statement(
                "{\"Federated\": \"arn:aws:iam::111122223333:saml-provider/Corp\"}",
                "\"sts:AssumeRoleWith*\"",
                "",
            ),
        ]);
        assert_eq!(codes(&text), ["T019"]);
        assert!(only(&text, "T019")
            .message
            .contains("with `sts:AssumeRoleWithWebIdentity` and `sts:AssumeRoleWithSAML`"));
    }

    #[test]
    fn only_the_federated_value_is_named() {
        // `"AWS": "*"` beside it also matches a web-identity caller, but it is not a federated
        // principal: T019 names the provider only.
        let text = policy(&[statement(
            r#"{"Federated": "accounts.google.com", "AWS": "*"}"#,
            r#""sts:AssumeRoleWithWebIdentity""#,
            "",
        )]);
        let found: Vec<_> = findings(&text)
            .into_iter()
            .filter(|f| f.code == "T019")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"accounts.google.com\"");
    }
}
