use crate::policy::{Checked, Effect};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A key policy statement with `"Effect": "Allow"` and `NotPrincipal`. Access Analyzer:
    /// `ALLOW_WITH_NOT_PRINCIPAL`.
    ///
    /// ## Why it matters
    /// `Allow` with `NotPrincipal` grants the actions to every principal except the ones
    /// listed, in every AWS account, anonymous callers included. Someone other than intended
    /// gets in: SecurityWarning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `Principal` with the principals to allow. To exclude principals, use a `Deny`
    /// statement with a `Condition` on `aws:PrincipalArn`.
    pub(crate) static RULE = {
        code: "G018",
        name: "allow-with-not-principal",
        severity: SecurityWarning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(principal) = statement.principal.as_ref().filter(|p| p.negated) else {
            continue;
        };
        sink.report(
            &RULE,
            principal.key_span,
            format!(
                "{} allows every principal except the ones in `NotPrincipal`, including other accounts and anonymous callers",
                statement.label()
            ),
            Some(
                "write `Principal` with the principals to allow; to exclude some, add a `Deny` statement with an `ArnEquals` condition on `aws:PrincipalArn`"
                    .into(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding, Severity};

    fn findings(text: &str) -> Vec<Finding> {
        crate::check(text, DocumentKind::Key, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G018")
            .collect()
    }

    #[test]
    fn reports_allow_with_not_principal() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n{\"Sid\": \"Open\", \"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";
        let found = findings(text);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.severity, Severity::SecurityWarning);
        assert_eq!(
            f.message,
            "statement `Open` allows every principal except the ones in `NotPrincipal`, including other accounts and anonymous callers"
        );
        assert_eq!((f.line, f.column), (2, 36));
    }

    #[test]
    fn deny_with_not_principal_is_the_supported_form() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        assert!(findings(text).is_empty());
    }
}
