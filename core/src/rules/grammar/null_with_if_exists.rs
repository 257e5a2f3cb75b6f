use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

use super::invalid_condition_operator::operators;

declare_rule! {
    /// ## What it catches
    /// The operator `NullIfExists` (with or without a set qualifier). Access Analyzer:
    /// `NULL_WITH_IF_EXISTS`.
    ///
    /// ## Why it matters
    /// `IfExists` means "true when the key is absent", and `Null` already tests whether the key
    /// is present; IAM does not accept the combination and rejects the policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"NullIfExists": {"kms:EncryptionContextKeys": "false"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"Null": {"kms:EncryptionContextKeys": "false"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `Null`, with `"true"` to require the key to be absent or `"false"` to require it
    /// to be present.
    pub(crate) static RULE = {
        code: "G025",
        name: "null-with-if-exists",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Null),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for (operator, parsed) in operators(statement) {
            if !parsed.is_some_and(|op| op.base == BaseOperator::Null && op.if_exists) {
                continue;
            }
            sink.report(
                &RULE,
                operator.span,
                format!(
                    "`{}` is not a valid operator: `Null` cannot take the `IfExists` suffix",
                    operator.value
                ),
                Some(
                    "write `Null`: it already tests whether the key is present (`\"true\"`: absent, `\"false\"`: present)"
                        .into(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G025" || f.code == "G024")
            .collect()
    }

    #[test]
    fn reports_null_if_exists_once_and_not_as_an_unknown_operator() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Servers-Role\"}, \"Action\": \"sts:AssumeRole\",\n  \"Condition\": {\"NullIfExists\": {\"sts:ExternalId\": \"false\", \"aws:PrincipalArn\": \"false\"}}}]}";
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.code, "G025");
        assert_eq!(
            f.message,
            "`NullIfExists` is not a valid operator: `Null` cannot take the `IfExists` suffix"
        );
        assert_eq!((f.line, f.column), (2, 17));
    }

    #[test]
    fn other_if_exists_operators_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEqualsIfExists": {"kms:CallerAccount": "111122223333"}, "Null": {"kms:ViaService": "true"}}}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }
}
