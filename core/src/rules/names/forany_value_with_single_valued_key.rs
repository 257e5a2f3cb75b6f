use crate::policy::{BaseOperator, Checked, Operator, SetQualifier};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// The `ForAnyValue:` qualifier on a single-valued condition key, such as
    /// `ForAnyValue:StringEquals` on `kms:ViaService`. Only keys byokcheck knows the type of
    /// are checked (KMS, STS and the global keys).
    ///
    /// ## Why it matters
    /// On a single-valued key `ForAnyValue:` behaves like the plain operator, so access is as
    /// intended; but it tells the reader the key can carry several values, and it invites the
    /// edit to `ForAllValues:`, which is true when the key is absent. Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow use through S3", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow use through S3", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove `ForAnyValue:` and keep the operator (`StringEquals`); several values for the
    /// key still mean "any of them".
    pub(crate) static RULE = {
        code: "N007",
        name: "forany-value-with-single-valued-key",
        severity: Warning,
        kinds: [Key, Iam, Trust],
        check: Some(check),
        needs: crate::rules::Needs::Qualifier,
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for (entry, operator, key) in super::typed_entries(doc) {
        if operator.qualifier != Some(SetQualifier::ForAnyValue)
            || operator.base == BaseOperator::Null
            || key.multivalued
        {
            continue;
        }
        let plain = Operator {
            qualifier: None,
            ..operator
        };
        sink.report(
            &RULE,
            entry.key.span,
            format!(
                "`{}` on the single-valued key `{}`: `ForAnyValue:` is meant for keys with several values",
                entry.operator.value, entry.key.value
            ),
            Some(format!("use `{}`", plain.name())),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(condition: &str) -> Vec<Finding> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {condition}}}]}}"#
        );
        crate::check(&text, DocumentKind::Iam, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "N007")
            .collect()
    }

    #[test]
    fn via_service_with_for_any_value() {
        let found =
            findings(r#"{"ForAnyValue:StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`ForAnyValue:StringLike` on the single-valued key `kms:ViaService`: `ForAnyValue:` is meant for keys with several values"
        );
        assert_eq!(found[0].help.as_deref(), Some("use `StringLike`"));
    }

    #[test]
    fn multivalued_keys_are_fine() {
        let condition = r#"{"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com", "aws:TagKeys": "Project", "kms:ResourceAliases": "alias/byok"}}"#;
        assert!(findings(condition).is_empty());
    }

    #[test]
    fn unknown_keys_are_not_judged() {
        assert!(findings(r#"{"ForAnyValue:StringEquals": {"s3:prefix": "a"}}"#).is_empty());
    }
}
