use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A condition key not of the form `prefix:name`: no prefix (`ExternalId`), an empty part
    /// (`sts:`, `:ExternalId`), or white space in the prefix or the key name
    /// (`sts: ExternalId`). Access Analyzer: `INVALID_CONDITION_KEY_FORMAT`. Spaces after the
    /// key name, in a tag key (`aws:ResourceTag/Cost Center`) or an encryption context key
    /// (`kms:EncryptionContext:Department Name`), are valid and not reported.
    ///
    /// ## Why it matters
    /// IAM rejects the policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the service prefix, a colon and the key name, without spaces: `sts:ExternalId`,
    /// `aws:PrincipalArn`, `kms:ViaService`.
    pub(crate) static RULE = {
        code: "G027",
        name: "invalid-condition-key-format",
        severity: Error,
        kinds: [Trust, Iam, Key],
        check: Some(check),
    };
}

/// Prefixes of well-known keys people write without one.
const KNOWN: [(&str, &str); 16] = [
    ("ExternalId", "sts"),
    ("RoleSessionName", "sts"),
    ("SourceIdentity", "sts"),
    ("PrincipalArn", "aws"),
    ("PrincipalAccount", "aws"),
    ("PrincipalOrgID", "aws"),
    ("SourceArn", "aws"),
    ("SourceAccount", "aws"),
    ("SourceIp", "aws"),
    ("SourceVpce", "aws"),
    ("SecureTransport", "aws"),
    ("MultiFactorAuthPresent", "aws"),
    ("ViaService", "kms"),
    ("CallerAccount", "kms"),
    ("EncryptionContextKeys", "kms"),
    ("GrantIsForAWSResource", "kms"),
];

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let key = entry.key.value;
            let Some(reason) = problem(key) else {
                continue;
            };
            sink.report(
                &RULE,
                entry.key.span,
                format!(
                    "`{key}` is not a condition key: {reason}; expected `prefix:name`, such as `sts:ExternalId`"
                ),
                Some(help(key)),
            );
        }
    }
}

/// The part of a key name that names the key itself: before a tag key (`/`) or an
/// encryption context key (a second `:`), which may contain spaces.
fn fixed_part(name: &str) -> &str {
    name.split(['/', ':']).next().unwrap_or(name)
}

fn problem(key: &str) -> Option<&'static str> {
    let Some((prefix, name)) = crate::policy::split_at_colon(key) else {
        return Some("it has no service prefix");
    };
    // Nearly every key is printable ASCII without spaces around two non-empty parts: it holds
    // no white space, so it is settled without the character-wise tests below.
    if !prefix.is_empty() && !name.is_empty() && key.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    problem_by_characters(prefix, name, key)
}

fn problem_by_characters(prefix: &str, name: &str, key: &str) -> Option<&'static str> {
    if prefix.trim().is_empty() {
        return Some("the service prefix is empty");
    }
    if name.trim().is_empty() {
        return Some("the key name is empty");
    }
    if prefix.contains(char::is_whitespace)
        || fixed_part(name).contains(char::is_whitespace)
        || key.trim_end() != key
    {
        return Some("it contains white space");
    }
    None
}

fn help(key: &str) -> String {
    let compact = match crate::policy::split_at_colon(key) {
        Some((prefix, name)) => {
            let fixed = fixed_part(name);
            let rest = name.get(fixed.len()..).unwrap_or_default();
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            format!("{}:{}{}", squeeze(prefix), squeeze(fixed), rest.trim_end())
        }
        None => {
            let name = key.trim();
            match KNOWN.iter().find(|(known, _)| known.eq_ignore_ascii_case(name)) {
                Some((known, prefix)) => format!("{prefix}:{known}"),
                None => return "write the service prefix and a colon before the key name, such as `aws:PrincipalArn` or `kms:ViaService`".into(),
            }
        }
    };
    if problem(&compact).is_none() {
        format!("write `{compact}`")
    } else {
        "write the service prefix, a colon and the key name, such as `aws:PrincipalArn`".into()
    }
}

#[cfg(test)]
mod tests {
    use super::{help, problem};
    use crate::{Context, DocumentKind, Finding};
    use proptest::prelude::*;

    proptest! {
        /// The printable-ASCII shortcut judges every key as the character-wise tests do.
        #[test]
        fn the_shortcut_agrees_with_the_character_tests(key in "[a-z:/ \t\u{a0}\u{2003}é]{0,12}") {
            let slow = crate::policy::split_at_colon(&key).map_or(
                Some("it has no service prefix"),
                |(prefix, name)| super::problem_by_characters(prefix, name, &key),
            );
            prop_assert_eq!(problem(&key), slow);
        }
    }

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G027")
            .collect()
    }

    #[test]
    fn reports_a_key_without_prefix() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Servers-Role\"}, \"Action\": \"sts:AssumeRole\",\n  \"Condition\": {\"StringEquals\": {\"externalid\": \"kore-7f3a9c2e-byok\"}}}]}";
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`externalid` is not a condition key: it has no service prefix; expected `prefix:name`, such as `sts:ExternalId`"
        );
        assert_eq!(f.help.as_deref(), Some("write `sts:ExternalId`"));
        assert_eq!((f.line, f.column), (2, 34));
    }

    #[test]
    fn classifies_malformed_keys() {
        assert_eq!(problem("sts:"), Some("the key name is empty"));
        assert_eq!(problem(":ExternalId"), Some("the service prefix is empty"));
        assert_eq!(problem("sts: ExternalId"), Some("it contains white space"));
        assert_eq!(problem("sts :ExternalId"), Some("it contains white space"));
        assert_eq!(problem("sts:ExternalId "), Some("it contains white space"));
        assert_eq!(help("sts: ExternalId"), "write `sts:ExternalId`");
        assert_eq!(
            help("aws :ResourceTag/Cost Center"),
            "write `aws:ResourceTag/Cost Center`"
        );
    }

    #[test]
    fn accepts_tag_keys_context_keys_and_provider_prefixes() {
        for valid in [
            "sts:ExternalId",
            "aws:ResourceTag/Cost Center",
            "kms:EncryptionContext:Department Name",
            "kms:EncryptionContext:aws:s3:arn",
            "aws:RequestTag/${TagKey}",
            "token.actions.githubusercontent.com:sub",
            "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub",
        ] {
            assert_eq!(problem(valid), None, "{valid}");
        }
    }
}
