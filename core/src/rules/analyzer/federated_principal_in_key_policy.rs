use crate::policy::{Checked, PrincipalKind};
use crate::rules::{declare_rule, Sink};

use super::support::principals;

declare_rule! {
    /// ## What it catches
    /// A `Federated` principal (a SAML or OIDC identity provider) in a key policy. Access
    /// Analyzer: `FEDERATED_PRINCIPAL_NOT_SUPPORTED`.
    ///
    /// ## Why it matters
    /// Federated users reach KMS through the role they assume, never as the provider: KMS
    /// rejects the key policy, or the statement can never match. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the role the federated users assume: `"Principal": {"AWS": "arn:aws:iam::<account>:role/<role>"}`.
    pub(crate) static RULE = {
        code: "X018",
        name: "federated-principal-in-key-policy",
        severity: Error,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for value in principals(statement, PrincipalKind::Federated) {
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is a federated principal; key policies do not accept `Federated` principals",
                    value.value
                ),
                Some(format!(
                    "name the role its users assume instead: `\"AWS\": \"{}\"`",
                    doc.context.role_arn().unwrap_or("arn:aws:iam::111122223333:role/NAME")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    #[test]
    fn reports_each_federated_value() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": ["accounts.google.com", "arn:aws:iam::111122223333:saml-provider/Corp"]}, "Action": "kms:Decrypt", "Resource": "*"}]}"#;
        let found = findings(text, DocumentKind::Key, "X018");
        assert_eq!(found.len(), 2);
        assert_eq!(under(text, &found[0]), "\"accounts.google.com\"");
        assert_eq!(
            found[0].help.as_deref(),
            Some("name the role its users assume instead: `\"AWS\": \"arn:aws:iam::111122223333:role/BYOK_Role\"`")
        );
    }
}
