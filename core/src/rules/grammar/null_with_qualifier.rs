use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

use super::invalid_condition_operator::operators;

declare_rule! {
    /// ## What it catches
    /// `Null` with a set qualifier: `ForAllValues:Null` or `ForAnyValue:Null`. Access Analyzer:
    /// `NULL_WITH_QUALIFIER`.
    ///
    /// ## Why it matters
    /// `Null` tests whether a key is present, not its values, so a qualifier that compares
    /// values adds nothing; Access Analyzer notes the two forms always return true and false
    /// respectively. Written by mistake, not by design: Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"ForAnyValue:Null": {"kms:EncryptionContextKeys": "false"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"Null": {"kms:EncryptionContextKeys": "false"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `Null` without the qualifier.
    pub(crate) static RULE = {
        code: "G026",
        name: "null-with-qualifier",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Null),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for (operator, parsed) in operators(statement) {
            let Some(op) = parsed.filter(|op| op.base == BaseOperator::Null) else {
                continue;
            };
            let Some(qualifier) = op.qualifier else {
                continue;
            };
            sink.report(
                &RULE,
                operator.span,
                format!(
                    "`{}` puts `{}` before `Null`, which tests whether the key is present, not its values",
                    operator.value,
                    qualifier.prefix()
                ),
                Some("write `Null`".into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding, Severity};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G026")
            .collect()
    }

    #[test]
    fn reports_both_qualifiers() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\",\n  \"Condition\": {\"ForAllValues:Null\": {\"aws:TagKeys\": \"true\"}, \"ForAnyValue:Null\": {\"aws:TagKeys\": \"false\"}, \"Null\": {\"kms:ViaService\": \"true\"}}}]}";
        let found = findings(text, DocumentKind::Key);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].severity, Severity::Suggestion);
        assert_eq!(
            found[0].message,
            "`ForAllValues:Null` puts `ForAllValues:` before `Null`, which tests whether the key is present, not its values"
        );
        assert_eq!((found[0].line, found[0].column), (2, 17));
        assert!(found[1].message.starts_with("`ForAnyValue:Null`"));
    }
}
