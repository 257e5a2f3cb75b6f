use crate::policy::Checked;
use crate::rules::values::support::thousands;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

/// KMS's key policy limit, in bytes, white space included.
const KEY_POLICY_LIMIT: usize = 32_768;

declare_rule! {
    /// ## What it catches
    /// A key policy over 32,768 bytes (32 KB). KMS counts every byte, white space included.
    ///
    /// ## Why it matters
    /// `CreateKey` and `PutKeyPolicy` refuse the policy with `LimitExceededException`, so
    /// the key cannot get it. Error.
    ///
    /// ## Bad
    /// A key policy of more than 32,768 bytes, such as one granting hundreds of roles one
    /// statement each (abridged):
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Role1", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Role1"}, "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "Role400", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Role400"}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Roles", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/Role1", "arn:aws:iam::111122223333:role/Role2"]}, "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove white space, merge statements that differ only in their principals, and grant
    /// whole accounts (`arn:aws:iam::ACCOUNT_ID:root`) where their IAM policies can narrow
    /// access further.
    pub(crate) static RULE = {
        code: "V018",
        name: "key-policy-too-large",
        severity: Error,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let size = doc.text.len();
    if size <= KEY_POLICY_LIMIT {
        return;
    }
    let start = doc.policy.span.start;
    sink.report(
        &RULE,
        Span::new(start, start + 1),
        format!(
            "the key policy is {} bytes, over the {}-byte limit of KMS key policies: KMS refuses it with `LimitExceededException`",
            thousands(size),
            thousands(KEY_POLICY_LIMIT)
        ),
        Some("remove white space (KMS counts it) and merge statements that differ only in their principals".into()),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    fn with_statements(n: usize) -> String {
        let statements: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"Sid": "Role{i}", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:role/Role{i}"}}, "Action": "kms:Decrypt", "Resource": "*"}}"#))
            .collect();
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",\n")
        )
    }

    #[test]
    fn fires_over_32768_bytes_only() {
        let text = with_statements(300);
        assert!(text.len() > 32_768);
        let found = findings(&text, DocumentKind::Key, "V018");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with("the key policy is "));
        assert_eq!(&text[found[0].span.start..found[0].span.end], "{");
        assert!(found[0]
            .message
            .ends_with("bytes, over the 32,768-byte limit of KMS key policies: KMS refuses it with `LimitExceededException`"));

        let text = with_statements(100);
        assert!(text.len() < 32_768);
        assert!(findings(&text, DocumentKind::Key, "V018").is_empty());
    }

    #[test]
    fn white_space_counts() {
        let body = with_statements(100);
        let text = format!("{body}{}", " ".repeat(32_768 - body.len() + 1));
        assert_eq!(findings(&text, DocumentKind::Key, "V018").len(), 1);
    }
}
