use crate::policy::{BaseOperator, Checked};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `Bool` condition (with any qualifier or `IfExists`) whose key has more than one
    /// value, such as `"aws:SecureTransport": ["true", "false"]`. Access Analyzer:
    /// `INVALID_CONDITION_MULTIPLE_BOOLEAN`.
    ///
    /// ## Why it matters
    /// A boolean key has one value per request; IAM does not accept a list of booleans, and
    /// `["true", "false"]` would not restrict anything. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"Bool": {"aws:SecureTransport": ["true", "false"]}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep one value, `"true"` or `"false"`.
    pub(crate) static RULE = {
        code: "G029",
        name: "multiple-boolean-values",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Bool),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if !entry.parsed.is_some_and(|op| op.base == BaseOperator::Bool) {
                continue;
            }
            if entry.values.len() < 2 {
                continue;
            }
            let values: Vec<String> = entry
                .values
                .iter()
                .map(|v| format!("`{}`", v.text))
                .collect();
            sink.report(
                &RULE,
                entry.values_span,
                format!(
                    "`{}` under `{}` has {} values ({}), expected one boolean",
                    entry.key.value,
                    entry.operator.value,
                    entry.values.len(),
                    values.join(", ")
                ),
                Some(format!(
                    "keep one value: `\"{}\": \"true\"` or `\"{}\": \"false\"`",
                    entry.key.value, entry.key.value
                )),
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
            .filter(|f| f.code == "G029")
            .collect()
    }

    #[test]
    fn reports_the_value_array() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Servers-Role\"}, \"Action\": \"sts:AssumeRole\",\n  \"Condition\": {\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": [true, \"true\"]}}}]}";
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`aws:MultiFactorAuthPresent` under `BoolIfExists` has 2 values (`true`, `true`), expected one boolean"
        );
        assert_eq!((f.line, f.column), (2, 64));
        assert_eq!(&text[f.span.start..f.span.end], "[true, \"true\"]");
    }

    #[test]
    fn a_one_element_array_and_other_operators_are_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": ["true"]}, "StringEquals": {"kms:ViaService": ["a.amazonaws.com", "b.amazonaws.com"]}}}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }
}
