use crate::policy::{BaseOperator, Checked, Operator, SetQualifier};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A multivalued condition key (`aws:TagKeys`, `aws:CalledVia`, `kms:EncryptionContextKeys`,
    /// `kms:GrantOperations`) used without `ForAllValues:` or `ForAnyValue:`. Access Analyzer:
    /// `MISSING_QUALIFIER`. `Null` needs no qualifier: it only tests whether the key is there.
    ///
    /// ## Why it matters
    /// Without a qualifier the operator compares a set of values as if it were one value, and
    /// the result is not what the condition reads: the request context key has several
    /// values, and the policy must say whether any or all of them have to match. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:TagResource", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"StringEquals": {"aws:TagKeys": "Project"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:TagResource", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "Project"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Prefix the operator with `ForAnyValue:` (at least one value must match) or
    /// `ForAllValues:` (every value must match; also true when the key is absent, so pair it
    /// with a `Null` check in an `Allow`).
    pub(crate) static RULE = {
        code: "N005",
        name: "missing-qualifier",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for (entry, operator, key) in super::typed_entries(doc) {
        if operator.qualifier.is_some() || operator.base == BaseOperator::Null || !key.multivalued {
            continue;
        }
        let with = |qualifier| {
            Operator {
                qualifier: Some(qualifier),
                ..operator
            }
            .name()
        };
        sink.report(
            &RULE,
            entry.key.span,
            format!(
                "`{}` can have several values, but `{}` has no `ForAllValues:` or `ForAnyValue:` qualifier",
                entry.key.value, entry.operator.value
            ),
            Some(format!(
                "use `{}` (any value matches) or `{}` (every value matches; also true when the key is absent)",
                with(SetQualifier::ForAnyValue),
                with(SetQualifier::ForAllValues)
            )),
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
        crate::check(&text, DocumentKind::Key, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "N005")
            .collect()
    }

    #[test]
    fn called_via_without_a_qualifier() {
        let found =
            findings(r#"{"StringLikeIfExists": {"aws:calledvia": "athena.amazonaws.com"}}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`aws:calledvia` can have several values, but `StringLikeIfExists` has no `ForAllValues:` or `ForAnyValue:` qualifier"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("use `ForAnyValue:StringLikeIfExists` (any value matches) or `ForAllValues:StringLikeIfExists` (every value matches; also true when the key is absent)")
        );
    }

    #[test]
    fn null_needs_no_qualifier() {
        assert!(findings(
            r#"{"Null": {"aws:TagKeys": "false", "kms:EncryptionContextKeys": "true"}}"#
        )
        .is_empty());
    }

    #[test]
    fn single_valued_and_qualified_keys_are_fine() {
        let condition = r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "s3:prefix": "a"}, "ForAnyValue:StringEquals": {"kms:GrantOperations": "Decrypt"}}"#;
        assert!(findings(condition).is_empty());
    }

    #[test]
    fn multivalued_arn_keys_too() {
        let found = findings(
            r#"{"ArnEquals": {"sts:RequestContextProviders": "arn:aws:iam::aws:contextProvider/IdentityCenter"}}"#,
        );
        assert_eq!(found.len(), 1);
    }
}
