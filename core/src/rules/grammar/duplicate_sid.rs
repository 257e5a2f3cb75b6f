use crate::policy::Checked;
use crate::rules::{declare_rule, Rule, Sink};

declare_rule! {
    /// ## What it catches
    /// Two statements of an identity policy with the same non-empty `Sid`. Access Analyzer:
    /// `UNIQUE_SIDS_REQUIRED` for policy types that need unique IDs, as IAM identity policies do.
    ///
    /// ## Why it matters
    /// IAM requires every `Sid` of an identity policy to be unique and rejects the policy
    /// otherwise. Often the second statement was copied from the first and only half edited.
    /// Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "UseKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, {"Sid": "UseKey", "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "UseKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, {"Sid": "DescribeKey", "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Give each statement its own `Sid`, or merge statements that say the same thing.
    pub(crate) static RULE = {
        code: "G013",
        name: "duplicate-sid",
        severity: Error,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    report_repeated_sids(
        doc,
        sink,
        &RULE,
        "IAM requires a unique `Sid` for each statement of an identity policy",
    );
}

/// Reports every statement whose non-empty `Sid` an earlier statement already uses, pointing
/// at the later `Sid` and naming the first statement. Shared with `non-unique-sid`, which
/// says the same of trust and key policies at a lower severity.
pub(super) fn report_repeated_sids(
    doc: &Checked<'_>,
    sink: &mut Sink,
    rule: &'static Rule,
    why: &str,
) {
    let statements = &doc.policy.statements;
    for (position, statement) in statements.iter().enumerate() {
        let Some(sid) = statement.sid.filter(|s| !s.value.is_empty()) else {
            continue;
        };
        let first = statements
            .iter()
            .take(position)
            .find(|earlier| earlier.sid.is_some_and(|s| s.value == sid.value));
        let Some(first) = first else {
            continue;
        };
        let used: Vec<&str> = statements
            .iter()
            .filter_map(|s| s.sid.map(|sid| sid.value))
            .collect();
        let renamed = (2..)
            .map(|n| format!("{}{n}", sid.value))
            .find(|candidate| !used.contains(&candidate.as_str()))
            .unwrap_or_default();
        sink.report(
            rule,
            sid.span,
            format!(
                "`Sid` `{}` is already used by statement {}; {why}",
                sid.value, first.index
            ),
            Some(format!(
                "rename it, for example `\"Sid\": \"{renamed}\"`, or merge the two statements"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind, code: &str) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    const THREE: &str = "{\"Version\": \"2012-10-17\", \"Statement\": [\n{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"},\n{\"Sid\": \"A2\", \"Effect\": \"Allow\", \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"},\n{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"kms:DescribeKey\", \"Resource\": \"*\"}]}";

    #[test]
    fn points_at_the_second_and_names_the_first() {
        let found = findings(THREE, DocumentKind::Iam, "G013");
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`Sid` `A` is already used by statement 0; IAM requires a unique `Sid` for each statement of an identity policy"
        );
        assert_eq!((f.line, f.column), (4, 9));
        assert_eq!(
            f.help.as_deref(),
            Some("rename it, for example `\"Sid\": \"A3\"`, or merge the two statements")
        );
    }

    #[test]
    fn empty_sids_are_not_duplicates() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Iam, "G013").is_empty());
    }

    #[test]
    fn trust_and_key_policies_get_the_warning_instead() {
        assert!(findings(THREE, DocumentKind::Key, "G013").is_empty());
        assert_eq!(findings(THREE, DocumentKind::Key, "G014").len(), 1);
    }
}
