use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An entry of a statement's `Action` list that another entry of the same list already
    /// covers: `kms:Decrypt` beside `kms:*`, `kms:GenerateDataKey` beside
    /// `kms:GenerateDataKey*`, or the same action twice (action names are case-insensitive).
    /// Access Analyzer: `REDUNDANT_ACTION`.
    ///
    /// ## Why it matters
    /// The entry grants nothing more; it makes the policy longer (policies have a size quota)
    /// and suggests the wildcard was not meant to be as wide as it is. No effect on access, so
    /// a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:*", "kms:Decrypt"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the covered entry, or replace the wildcard with the actions meant.
    pub(crate) static RULE = {
        code: "X007",
        name: "redundant-action",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        if let Some(element) = &statement.action {
            super::report_redundant(
                &RULE,
                statement,
                element,
                ("Action", "NotAction"),
                true,
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
    fn long_lists_take_the_sorted_path_with_the_same_verdicts() {
        // More entries than the pairwise path takes: a wildcard, what it covers, a repeat.
        let mut actions: Vec<String> = (0..40).map(|i| format!("\"s3:Get{i}\"")).collect();
        actions.push("\"kms:Generate*\"".into());
        actions.push("\"kms:GenerateDataKey\"".into());
        actions.push("\"S3:get7\"".into());
        let text = statement(&format!(
            r#""Action": [{}], "Resource": "*""#,
            actions.join(", ")
        ));
        let found = findings(&text, DocumentKind::Iam, "X007");
        let flagged: Vec<&str> = found.iter().map(|f| under(&text, f)).collect();
        assert_eq!(flagged, ["\"kms:GenerateDataKey\"", "\"S3:get7\""]);
    }

    #[test]
    fn reports_covered_and_repeated_entries_once() {
        let text = statement(
            r#""Action": ["kms:Decrypt", "kms:GenerateDataKey*", "KMS:*", "kms:generatedatakeypair", "s3:GetObject", "kms:decrypt"], "Resource": "*""#,
        );
        let found = findings(&text, DocumentKind::Iam, "X007");
        let flagged: Vec<&str> = found.iter().map(|f| under(&text, f)).collect();
        assert_eq!(
            flagged,
            [
                "\"kms:Decrypt\"",
                "\"kms:GenerateDataKey*\"",
                "\"kms:generatedatakeypair\"",
                "\"kms:decrypt\""
            ]
        );
        assert_eq!(
            found[0].message,
            "`kms:Decrypt` is already covered by `KMS:*` in the `Action` of statement 0"
        );
        assert_eq!(found[0].help.as_deref(), Some("remove `kms:Decrypt`"));
    }

    #[test]
    fn repeated_entries_name_the_repeat() {
        let text = statement(r#""Action": ["kms:Decrypt", "kms:decrypt"], "Resource": "*""#);
        let found = findings(&text, DocumentKind::Iam, "X007");
        assert_eq!(found.len(), 1);
        assert_eq!(under(&text, &found[0]), "\"kms:decrypt\"");
        assert_eq!(
            found[0].message,
            "`kms:decrypt` is listed twice in the `Action` of statement 0"
        );
    }
}
