use crate::policy::{BaseOperator, Checked, Operator, SetQualifier};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// The `ForAllValues:` qualifier on a single-valued condition key, such as
    /// `ForAllValues:StringEquals` on `sts:ExternalId`. Access Analyzer:
    /// `FORALLVALUES_WITH_SINGLE_VALUED_KEY`. Only keys byokcheck knows the type of are
    /// checked (KMS, STS and the global keys).
    ///
    /// ## Why it matters
    /// `ForAllValues:` is true when the key is absent from the request: every one of its zero
    /// values matches. On `sts:ExternalId` it lets a caller that sends no External ID assume the
    /// role, which is exactly the confused-deputy attack the External ID is there to stop.
    /// The policy is accepted and looks right, so it is a Security warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"ForAllValues:StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove `ForAllValues:` and keep the operator (`StringEquals`).
    pub(crate) static RULE = {
        code: "N004",
        name: "forallvalues-with-single-valued-key",
        severity: SecurityWarning,
        kinds: [Trust, Iam, Key],
        check: Some(check),
        needs: crate::rules::Needs::Qualifier,
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for (entry, operator, key) in super::typed_entries(doc) {
        // `ForAllValues:Null` is a different mistake: the qualifier makes `Null` meaningless.
        if operator.qualifier != Some(SetQualifier::ForAllValues)
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
                "`{}` on the single-valued key `{}` is also true when the request has no `{}`",
                entry.operator.value, entry.key.value, entry.key.value
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
            .filter(|f| f.code == "N004")
            .collect()
    }

    #[test]
    fn external_id_with_for_all_values() {
        let found = findings(r#"{"ForAllValues:StringEqualsIfExists": {"sts:externalid": "x"}}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`ForAllValues:StringEqualsIfExists` on the single-valued key `sts:externalid` is also true when the request has no `sts:externalid`"
        );
        assert_eq!(found[0].help.as_deref(), Some("use `StringEqualsIfExists`"));
    }

    #[test]
    fn multivalued_and_unknown_keys_are_fine() {
        let condition = r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "Project", "kms:EncryptionContextKeys": "tenant", "s3:prefix": "a"}, "ForAllValues:ArnEquals": {"sts:RequestContextProviders": "arn:aws:iam::aws:contextProvider/IdentityCenter"}}"#;
        assert!(findings(condition).is_empty());
    }

    #[test]
    fn templated_single_valued_keys_are_reported() {
        let found =
            findings(r#"{"ForAllValues:StringLike": {"kms:EncryptionContext:tenant": "a*"}}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].help.as_deref(), Some("use `StringLike`"));
    }

    #[test]
    fn for_any_value_is_another_rule() {
        assert!(findings(r#"{"ForAnyValue:StringEquals": {"sts:ExternalId": "x"}}"#).is_empty());
    }
}
