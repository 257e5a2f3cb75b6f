use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// The condition key `aws:ARN`, in any letter case. Access Analyzer:
    /// `UNSUPPORTED_GLOBAL_CONDITION_KEY` (and `DEPRECATED_GLOBAL_CONDITION_KEY`).
    ///
    /// ## Why it matters
    /// `aws:ARN` is not supported: it does not reliably name the caller, so a condition on it
    /// does not restrict access the way it reads. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnEquals": {"aws:ARN": "arn:aws:iam::111122223333:role/BYOK_Role"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BYOK_Role"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Use `aws:PrincipalArn` to match the calling principal, or `aws:SourceArn` to match the
    /// resource an AWS service acts for.
    pub(crate) static RULE = {
        code: "N003",
        name: "unsupported-global-condition-key",
        severity: Error,
        kinds: [Key, Iam, Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if !super::unknown_condition_key::is_aws_arn(entry.key.value) {
                continue;
            }
            sink.report(
                &RULE,
                entry.key.span,
                format!(
                    "the condition key `{}` is not supported",
                    entry.key.value
                ),
                Some(
                    "use `aws:PrincipalArn` for the calling principal, or `aws:SourceArn` for the resource an AWS service acts for"
                        .to_string(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind};

    #[test]
    fn reports_any_case_in_every_kind() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotLike": {"AWS:arn": "arn:aws:iam::111122223333:role/*"}}}]}"#;
        for kind in [DocumentKind::Iam, DocumentKind::Key, DocumentKind::Trust] {
            let report = crate::check(text, kind, &Context::example());
            let found: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.code == "N003")
                .collect();
            assert_eq!(found.len(), 1, "{kind}");
            assert_eq!(
                found[0].message,
                "the condition key `AWS:arn` is not supported"
            );
            assert!(!report.has("N002"));
        }
    }

    #[test]
    fn principal_arn_is_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*", "aws:SourceArn": "arn:aws:s3:::bucket"}}}]}"#;
        let report = crate::check(text, DocumentKind::Iam, &Context::example());
        assert!(!report.has("N003"));
    }
}
