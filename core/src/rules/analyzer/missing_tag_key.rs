use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A tag condition key without its tag key: `aws:RequestTag`, `aws:ResourceTag`,
    /// `aws:PrincipalTag`, or a service's `<service>:ResourceTag` (such as `iam:ResourceTag`),
    /// written alone or with an empty tag key (`aws:ResourceTag/`). Access Analyzer:
    /// `MISSING_TAG_KEY_IN_CONDITION`.
    ///
    /// ## Why it matters
    /// These keys exist only as `<key>/<tag-key>`: the request never has a value for the bare
    /// key, so the condition never matches as intended. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag": "byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/purpose": "byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the tag after a slash: `"aws:ResourceTag/purpose": "byok"` matches resources whose
    /// `purpose` tag is `byok`.
    pub(crate) static RULE = {
        code: "X002",
        name: "missing-tag-key-in-condition",
        severity: Error,
        kinds: [Iam, Key],
        check: Some(check),
    };
}

const TAG_KEYS: [&str; 3] = ["requesttag", "resourcetag", "principaltag"];

/// The key without its empty tag part (`aws:ResourceTag` for `aws:ResourceTag/`), when it is
/// a tag key with no tag named.
fn bare_tag_key(key: &str) -> Option<&str> {
    let stem = key.strip_suffix('/').unwrap_or(key);
    let (service, name) = crate::policy::split_at_colon(stem)?;
    // Case-insensitively, without a lowercase copy: every condition key comes through here.
    let tag = TAG_KEYS.iter().find(|t| t.eq_ignore_ascii_case(name))?;
    // Only `aws:` has all three; a service has `<service>:ResourceTag` (and a few `RequestTag`).
    (service.eq_ignore_ascii_case("aws") || *tag != "principaltag").then_some(stem)
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let Some(stem) = bare_tag_key(entry.key.value) else {
                continue;
            };
            sink.report(
                &RULE,
                entry.key.span,
                format!(
                    "`{}` names no tag: the key is `{stem}/<tag-key>`, and the bare key never has a value",
                    entry.key.value
                ),
                Some(format!(
                    "name the tag after a slash, such as `{stem}/purpose`"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn flags_bare_and_empty_tag_keys() {
        let text = condition(
            r#"{"StringEquals": {"aws:RequestTag": "a", "iam:ResourceTag/": "b", "aws:PrincipalTag/team": "c", "aws:TagKeys": "d", "aws:principaltag": "e"}}"#,
        );
        let found = findings(&text, DocumentKind::Iam, "X002");
        let flagged: Vec<&str> = found.iter().map(|f| under(&text, f)).collect();
        assert_eq!(
            flagged,
            [
                "\"aws:RequestTag\"",
                "\"iam:ResourceTag/\"",
                "\"aws:principaltag\""
            ]
        );
        assert_eq!(
            found[1].message,
            "`iam:ResourceTag/` names no tag: the key is `iam:ResourceTag/<tag-key>`, and the bare key never has a value"
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("name the tag after a slash, such as `iam:ResourceTag/purpose`")
        );
    }
}
