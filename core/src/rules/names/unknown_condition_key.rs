use crate::catalog::{self, Service};
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A condition key in the `aws:`, `kms:` or `sts:` namespace that does not exist, such as
    /// `kms:ViaServices` or `aws:SourceIpAddress`. Access Analyzer:
    /// `INVALID_GLOBAL_CONDITION_KEY`, `INVALID_SERVICE_CONDITION_KEY`. Key names are compared
    /// case-insensitively, as IAM compares them, and templated keys take any suffix
    /// (`kms:EncryptionContext:tenant`, `aws:RequestTag/Project`). Keys of other services
    /// (`s3:`, `ec2:`, `saml:`) are not checked: byokcheck carries the complete key lists of
    /// KMS, STS and the global keys only. `aws:ARN` is `unsupported-global-condition-key`.
    ///
    /// ## Why it matters
    /// IAM rejects a policy with a condition key that does not exist. Where a policy with one
    /// is accepted, the key is never in the request: the condition never matches, so an
    /// `Allow` grants nothing and a `Deny` protects nothing (or, with a negated operator,
    /// always matches). Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"StringEquals": {"kms:ViaServices": "s3.us-east-1.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Correct the key to the one the finding suggests, or pick one from the global condition
    /// keys of the IAM User Guide or the Service Authorization Reference for KMS or STS.
    pub(crate) static RULE = {
        code: "N002",
        name: "unknown-condition-key",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            let key = entry.key.value;
            if entry.key_info.is_some() {
                continue;
            }
            let Some(service) = Service::of(key) else {
                continue;
            };
            // `aws:ResourceTag` without its `/tag-key` is X002 missing-tag-key-in-condition's.
            if is_aws_arn(key) || unfinished_template(&format!("{key}/")).is_some() {
                continue;
            }
            let what = match service {
                Service::Kms => "a KMS condition key",
                Service::Sts => "an STS condition key",
                Service::Aws => "a global condition key",
            };
            let help = match catalog::closest_condition_key(key) {
                Some(known) => format!("did you mean `{known}`?"),
                None => match unfinished_template(key) {
                    Some(template) => {
                        format!("name the key after the prefix, as in `{template}`")
                    }
                    None => match service {
                        Service::Aws => "use a global condition key from the IAM User Guide, such as `aws:PrincipalArn`".to_string(),
                        Service::Kms => "use a condition key KMS defines, such as `kms:ViaService` or `kms:CallerAccount`".to_string(),
                        Service::Sts => "use a condition key STS defines, such as `sts:ExternalId`".to_string(),
                    },
                },
            };
            sink.report(
                &RULE,
                entry.key.span,
                format!("`{key}` is not {what}"),
                Some(help),
            );
        }
    }
}

/// `aws:ARN` has its own rule, `unsupported-global-condition-key`.
pub(super) fn is_aws_arn(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:ARN")
}

/// The template of a key written as its bare prefix (`aws:RequestTag/`).
fn unfinished_template(key: &str) -> Option<&'static str> {
    catalog::condition_keys()
        .find(|k| {
            k.template_prefix()
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(key))
        })
        .map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(condition: &str, kind: DocumentKind) -> Vec<Finding> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {condition}}}]}}"#
        );
        crate::check(&text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "N002")
            .collect()
    }

    #[test]
    fn reports_a_typo_with_a_suggestion_at_the_key() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAcount": "111122223333"}}}]}"#;
        let report = crate::check(text, DocumentKind::Key, &Context::example());
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.code == "N002")
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`kms:CallerAcount` is not a KMS condition key"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `kms:CallerAccount`?")
        );
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "\"kms:CallerAcount\""
        );
    }

    #[test]
    fn known_keys_in_any_case_and_templates_are_fine() {
        let condition = r#"{"StringEquals": {"KMS:viaservice": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:tenant": "a", "aws:RequestTag/Project": "b", "aws:principalorgid": "o-1", "sts:RequestContext/x": "y"}, "ForAnyValue:StringEquals": {"aws:TagKeys": "Project"}}"#;
        assert!(findings(condition, DocumentKind::Iam).is_empty());
    }

    #[test]
    fn other_namespaces_are_not_checked() {
        let condition =
            r#"{"StringEquals": {"s3:prefixx": "a", "ec2:Regon": "b", "saml:aud": "c"}}"#;
        assert!(findings(condition, DocumentKind::Iam).is_empty());
    }

    #[test]
    fn global_and_sts_keys() {
        let found = findings(
            r#"{"IpAddress": {"aws:SourceIpp": "203.0.113.0/24"}}"#,
            DocumentKind::Key,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`aws:SourceIpp` is not a global condition key"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `aws:SourceIp`?")
        );
        let found = findings(
            r#"{"StringEquals": {"sts:ExternalID2": "x"}}"#,
            DocumentKind::Trust,
        );
        assert_eq!(
            found[0].message,
            "`sts:ExternalID2` is not an STS condition key"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `sts:ExternalId`?")
        );
    }

    #[test]
    fn templated_typos_keep_their_suffix() {
        let found = findings(
            r#"{"StringEquals": {"aws:RequestTags/Project": "x"}}"#,
            DocumentKind::Iam,
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `aws:RequestTag/Project`?")
        );
        let found = findings(
            r#"{"StringEquals": {"aws:RequestTag/": "x"}}"#,
            DocumentKind::Iam,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("name the key after the prefix, as in `aws:RequestTag/${TagKey}`")
        );
    }

    #[test]
    fn aws_arn_is_left_to_its_own_rule() {
        assert!(findings(
            r#"{"ArnEquals": {"aws:ARN": "arn:aws:iam::111122223333:role/BYOK_Role"}}"#,
            DocumentKind::Key
        )
        .is_empty());
    }

    #[test]
    fn without_a_close_match_the_help_names_examples() {
        let found = findings(
            r#"{"StringEquals": {"kms:Banana": "x"}}"#,
            DocumentKind::Key,
        );
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`kms:ViaService`"));
    }
}
