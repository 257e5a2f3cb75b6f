use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::federation::{federated, Provider};

declare_rule! {
    /// ## What it catches
    /// A `Federated` principal that is neither a domain name (`accounts.google.com`,
    /// `cognito-identity.amazonaws.com`) nor an identity provider ARN,
    /// `arn:<partition>:iam::<account>:saml-provider/<name>` or
    /// `arn:<partition>:iam::<account>:oidc-provider/<host>`: a provider's bare name (`Corp`),
    /// a role ARN, an ARN with a region. Values with wildcards are left to
    /// `wildcard-in-principal`. Access Analyzer:
    /// `INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY`.
    ///
    /// ## Why it matters
    /// IAM rejects the trust policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "saml-provider/Corp"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Copy the provider's ARN from the IAM console (Identity providers), such as
    /// `arn:aws:iam::111122223333:saml-provider/Corp`.
    pub(crate) static RULE = {
        code: "X016",
        name: "invalid-federated-principal",
        severity: Error,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for (value, provider) in federated(statement) {
            if provider != Provider::Invalid {
                continue;
            }
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is not a federated principal: expected a domain name such as `accounts.google.com`, or an ARN such as `arn:aws:iam::111122223333:saml-provider/NAME` or `arn:aws:iam::111122223333:oidc-provider/HOST`",
                    value.value
                ),
                Some("copy the identity provider's ARN from the IAM console".into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_names_role_arns_and_regions() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": ["Corp", "arn:aws:iam::111122223333:role/Corp", "arn:aws:iam:us-east-1:111122223333:oidc-provider/x.example.com", "cognito-identity.amazonaws.com", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"]}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        let found = findings(text, DocumentKind::Trust, "X016");
        let flagged: Vec<&str> = found.iter().map(|f| under(text, f)).collect();
        assert_eq!(
            flagged,
            [
                "\"Corp\"",
                "\"arn:aws:iam::111122223333:role/Corp\"",
                "\"arn:aws:iam:us-east-1:111122223333:oidc-provider/x.example.com\""
            ]
        );
    }
}
