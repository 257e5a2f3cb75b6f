use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An entry of a statement's `Resource` list that another entry of the same list already
    /// covers: `arn:aws:kms:us-east-1:111122223333:key/1234abcd-…` beside
    /// `arn:aws:kms:us-east-1:111122223333:key/*`, or the same ARN twice. ARNs compare
    /// case-sensitively, as IAM matches them. Access Analyzer: `REDUNDANT_RESOURCE`.
    ///
    /// ## Why it matters
    /// The entry adds no resource; it makes the policy longer and often means the wildcard is
    /// wider than intended. No effect on access, so a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-east-1:111122223333:key/*", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the covered entry, or narrow the wildcard to the resources meant.
    pub(crate) static RULE = {
        code: "X008",
        name: "redundant-resource",
        severity: Suggestion,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if let Some(element) = &statement.resource {
            super::report_redundant(
                &RULE,
                statement,
                element,
                ("Resource", "NotResource"),
                false,
                sink,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    #[test]
    fn compares_case_sensitively() {
        let text = statement(
            r#""Action": "s3:GetObject", "Resource": ["arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", "arn:aws:s3:::Bucket/a", "arn:aws:s3:::bucket/a"]"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X008");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"arn:aws:s3:::Bucket/a\"");
        assert_eq!(
            found[0].message,
            "`arn:aws:s3:::Bucket/a` is already covered by `arn:aws:s3:::Bucket/*` in the `Resource` of statement 0"
        );
        assert_eq!(
            found[1].message,
            "`arn:aws:s3:::bucket/a` is listed twice in the `Resource` of statement 0"
        );
    }
}
