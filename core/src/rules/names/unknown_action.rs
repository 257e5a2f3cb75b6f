use crate::catalog::{self, Service};
use crate::policy::{Checked, Str};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A KMS or STS action that does not exist, such as `kms:Decript`, or a wildcard pattern
    /// such as `kms:Decript*` that matches no KMS or STS action, in `Action` or `NotAction`.
    /// Access Analyzer: `INVALID_ACTION`. Names are compared case-insensitively, as IAM
    /// compares them (`KMS:decrypt` is `kms:Decrypt`). Actions of other services are not
    /// checked: byokcheck carries the complete action lists of KMS and STS only.
    ///
    /// ## Why it matters
    /// IAM rejects an identity policy that names an action that does not exist, and KMS
    /// rejects such a key policy, so the setup cannot be saved as written; in a `NotAction`
    /// the typo silently changes what the statement covers. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decript", "kms:Encrypt"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Correct the spelling to the action the finding suggests, or use one from the Service
    /// Authorization Reference for AWS KMS or AWS STS.
    pub(crate) static RULE = {
        code: "N001",
        name: "unknown-action",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

/// Room for a lowercased action name on the stack; the longest catalog name is far shorter.
const LOWERED_CAPACITY: usize = 96;

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(element) = &statement.action else {
            continue;
        };
        for item in element.values.items.iter() {
            check_action(item, sink);
        }
    }
}

/// What the catalog says of an action name: `(service, has a wildcard, known)`, where known
/// means a catalog action has that name or, for a pattern, matches it. `None` when the name is
/// no KMS or STS action name at all (another service's, or malformed).
fn look_up(value: &str) -> Option<(Service, bool, bool)> {
    let (prefix, name) = crate::policy::split_at_colon(value)?;
    let service = Service::parse(prefix).filter(|s| s.has_actions())?;
    // A malformed name (`kms:Decrypt, kms:Encrypt`) is V022's finding, not a catalog miss.
    // Bytes suffice: a non-ASCII character is malformed either way. One table load per byte
    // (V022's), where testing the classes one by one cost about 20 instructions per byte.
    if !name
        .bytes()
        .all(crate::rules::values::invalid_action_format::name_char)
    {
        return None;
    }
    let first_wildcard = crate::bytescan::wildcard_position(name.as_bytes());
    // The value lowercased into `buffer`, so that the catalog lookup neither copies nor
    // lowercases it again. Every byte of it now has bit 0x20 once lowercase: the service
    // prefix's letters, the colon, and the name's letters, digits, `*` and `?`. Setting that
    // bit lowercases it, in a loop the compiler runs a vector at a time. A value too long for
    // the buffer is no catalog action; the catalog's general lookups answer for it.
    let mut buffer = [0u8; LOWERED_CAPACITY];
    let lowered = buffer.get_mut(..value.len()).map(|lowered| {
        for (slot, &byte) in lowered.iter_mut().zip(value.as_bytes()) {
            *slot = byte | 0x20;
        }
        &*lowered
    });
    let known = match (first_wildcard, lowered) {
        (None, Some(lowered)) => catalog::action_index_knows(lowered),
        (None, None) => catalog::action(value).is_some(),
        // `prefix*`, the common pattern: some action must start with the prefix.
        (Some(at), Some(lowered)) if at + 1 == name.len() && name.ends_with('*') => lowered
            .get(..lowered.len() - 1)
            .is_some_and(catalog::action_index_has_prefix),
        (Some(_), _) => catalog::any_action_matches(value),
    };
    Some((service, first_wildcard.is_some(), known))
}

fn check_action(item: &Str<'_>, sink: &mut Sink) {
    let Some((service, wildcard, false)) = look_up(item.value) else {
        return;
    };
    let label = service.label();
    let (a_label, example) = match service {
        Service::Sts => ("an STS", "sts:AssumeRole"),
        Service::Kms | Service::Aws => ("a KMS", "kms:Decrypt"),
    };
    // The service prefix has no wildcard (it is a known service's), so the name's are all.
    let (message, suggestion) = if wildcard {
        // Only a `prefix*` pattern has one obvious correction: the closest action, starred.
        let suggestion = item
            .value
            .strip_suffix('*')
            .filter(|literal| !crate::policy::has_wildcard(literal))
            .and_then(catalog::closest_action)
            .map(|a| format!("{a}*"));
        (
            format!("`{}` matches no {label} action", item.value),
            suggestion,
        )
    } else {
        (
            format!("`{}` is not {a_label} action", item.value),
            catalog::closest_action(item.value).map(str::to_string),
        )
    };
    let help = match suggestion {
        Some(name) => format!("did you mean `{name}`?"),
        None => format!(
            "use an action {label} defines, such as `{example}` (see the Service Authorization Reference)"
        ),
    };
    sink.report(&RULE, item.span, message, Some(help));
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};
    use proptest::prelude::*;

    proptest! {
        /// The fused scan agrees with the catalog's general lookups, the name lowercased or
        /// not, long or short, pattern or not.
        #[test]
        fn look_up_agrees_with_the_catalog(
            prefix in "(kms|KMS|Kms|sts|STS|aws|s3)",
            name in "([A-Za-z]{0,12}|Decrypt|GenerateDataKey|AssumeRole|[A-Za-z*?]{0,120})[*?]?([A-Za-z]{0,3})",
            malformed in proptest::option::of("[ ,:/.-]"),
        ) {
            let name = match malformed {
                Some(bad) => format!("{name}{bad}"),
                None => name,
            };
            let value = format!("{prefix}:{name}");
            let service = crate::catalog::Service::parse(&prefix).filter(|s| s.has_actions());
            let well_formed = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?');
            let expected = service.filter(|_| well_formed).map(|service| {
                let wildcard = crate::policy::has_wildcard(&name);
                let known = if wildcard {
                    crate::catalog::any_action_matches(&value)
                } else {
                    crate::catalog::action(&value).is_some()
                };
                (service, wildcard, known)
            });
            prop_assert_eq!(super::look_up(&value), expected);
        }
    }

    fn findings(actions: &str, kind: DocumentKind) -> Vec<Finding> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": "*"}}]}}"#
        );
        crate::check(&text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "N001")
            .collect()
    }

    #[test]
    fn a_malformed_name_is_left_to_the_format_rule() {
        for malformed in [r#""kms:Decrypt,Encrypt""#, r#""kms:Decrypt Encrypt""#] {
            assert!(
                findings(malformed, DocumentKind::Iam).is_empty(),
                "{malformed}"
            );
        }
    }

    #[test]
    fn reports_a_typo_with_a_suggestion() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decript"], "Resource": "*"}]}"#;
        let report = crate::check(text, DocumentKind::Iam, &Context::example());
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.code == "N001")
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "`kms:Decript` is not a KMS action");
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `kms:Decrypt`?")
        );
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "\"kms:Decript\""
        );
    }

    #[test]
    fn case_does_not_matter() {
        assert!(findings(
            r#"["KMS:decrypt", "sts:assumerole", "Kms:GenerateDataKey*"]"#,
            DocumentKind::Iam
        )
        .is_empty());
    }

    #[test]
    fn other_services_are_not_checked() {
        assert!(findings(
            r#"["s3:GetObjekt", "iam:PassRoel", "*"]"#,
            DocumentKind::Iam
        )
        .is_empty());
    }

    #[test]
    fn patterns_must_match_something() {
        assert!(findings(
            r#"["kms:*", "kms:GenerateDataKey*", "kms:ReEncrypt*", "sts:Get*", "kms:?ecrypt"]"#,
            DocumentKind::Iam
        )
        .is_empty());
        let found = findings(r#"["kms:GenerateDataKeys*"]"#, DocumentKind::Key);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`kms:GenerateDataKeys*` matches no KMS action"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `kms:GenerateDataKey*`?")
        );
    }

    #[test]
    fn sts_actions_in_a_trust_policy() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRoles"}]}"#;
        let report = crate::check(text, DocumentKind::Trust, &Context::example());
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.code == "N001")
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "`sts:AssumeRoles` is not an STS action");
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `sts:AssumeRole`?")
        );
    }

    #[test]
    fn without_a_close_match_the_help_names_an_example() {
        let found = findings(r#"["kms:Banana"]"#, DocumentKind::Iam);
        assert_eq!(found.len(), 1);
        assert!(found[0].help.as_deref().unwrap().contains("`kms:Decrypt`"));
    }

    #[test]
    fn not_action_is_checked_too() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "kms:Decrpyt", "Resource": "*"}]}"#;
        let report = crate::check(text, DocumentKind::Iam, &Context::example());
        assert!(report.has("N001"));
    }
}
