use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A top-level `Id` in an identity policy.
    ///
    /// ## Why it matters
    /// `Id` names resource policies (an S3 bucket policy, a key policy). The IAM policy
    /// grammar says it must not be included in identity policies; IAM's behaviour with it is
    /// not documented, and it has no effect on access. Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Id": "byok-role-policy", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "ByokRolePolicy", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove `Id`; name the policy when you create it, and describe statements with `Sid`.
    pub(crate) static RULE = {
        code: "V020",
        name: "id-in-identity-policy",
        severity: Warning,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if let Some(id) = doc.policy.id {
        sink.report(
            &RULE,
            id.span,
            format!(
                "`Id` (`{}`) is for resource policies: an identity policy must not include it",
                id.value
            ),
            Some(format!("remove `\"Id\": \"{}\"`", id.value)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    #[test]
    fn only_identity_policies() {
        let text = r#"{"Version": "2012-10-17", "Id": "x", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        let found = findings(text, DocumentKind::Iam, "V020");
        assert_eq!(found.len(), 1);
        assert_eq!(under(text, &found[0]), "\"x\"");
        assert!(findings(text, DocumentKind::Key, "V020").is_empty());
    }
}
