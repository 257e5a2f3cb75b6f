use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

use super::access::{
    condition_kind, role_access, root_value_span, takes_encryption_context, ActionAccess, Byok,
    Cause, ConditionKind, Reason, Scope, Verdict,
};

declare_rule! {
    /// ## What it catches
    /// One of the four actions the vendor needs (`kms:Encrypt`, `kms:Decrypt`,
    /// `kms:GenerateDataKey`, `kms:DescribeKey`) that the BYOK role cannot call on the key,
    /// decided by evaluating the vendor's call as the role. The role can call an action when a
    /// statement naming it allows it, or when the account-root statement delegates it to IAM
    /// and the role's IAM policy allows it (checked when the whole setup is verified; without
    /// the IAM policy that path counts as possible, see `key-use-only-via-iam`). The message
    /// names the statement that was meant to grant it and why it does not: the action is not
    /// listed, the principal is one session of the role, the `Resource` is not this key, a
    /// condition does not hold, or there is no account-root statement for the IAM policy to
    /// work through. A Deny (`explicit-deny-blocks-role`) and conditions on the encryption
    /// context or the network (`encryption-context-required`, `network-condition`) are
    /// reported by their own rules instead.
    ///
    /// ## Why it matters
    /// Without the action the vendor cannot encrypt, decrypt, make data keys or check the key,
    /// and its Test Configuration fails. Error: the setup cannot work as the vendor needs.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": ["kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"], "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the statement step 4 of the guide describes: `"Principal": {"AWS": "ROLE_ARN"}`,
    /// the four actions, `"Resource": "*"`; or fix the statement the message names.
    pub(crate) static RULE = {
        code: "K002",
        name: "role-cannot-use-key",
        severity: Error,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(byok) = Byok::new(doc) else {
        return;
    };
    let scope = Scope::of(doc);
    for access in role_access(doc, scope, &byok) {
        if let Verdict::Cannot(reason) = &access.verdict {
            let (span, message, help) = explain(doc, scope, &byok, &access, reason);
            sink.report(&RULE, span, message, Some(help));
        }
    }
}

/// What breaks for the vendor without `action`.
pub(super) fn consequence(action: &str) -> &'static str {
    match action {
        "kms:Encrypt" => "the vendor cannot encrypt your data with the key",
        "kms:Decrypt" => "the vendor cannot decrypt your data, so everything encrypted under the key becomes unreadable to it",
        "kms:GenerateDataKey" => "the vendor cannot create the data keys it encrypts your data with",
        _ => "the vendor cannot check the key, and its Test Configuration fails",
    }
}

fn explain(
    doc: &Checked<'_>,
    scope: &Scope<'_>,
    byok: &Byok,
    access: &ActionAccess,
    reason: &Reason,
) -> (Span, String, String) {
    let action = access.action;
    let role_statement = super::role_statement_json(&byok.arn);
    let mut why: Vec<String> = Vec::new();
    let mut span: Option<Span> = None;
    let mut help: Option<String> = None;
    let near = access
        .near_miss
        .as_ref()
        .and_then(|n| scope.statement(n.statement).map(|s| (n, s)));
    if let Some((near, statement)) = near {
        let name = scope.describe(statement.index);
        match &near.cause {
            Cause::ActionNotListed => {
                why.push(format!("{name} names the role but does not list it"));
                span = statement.action.as_ref().map(|a| a.values.span);
                help = Some(format!("add `\"{action}\"` to the `Action` of {name}"));
            }
            Cause::Session { span: at, value } => {
                why.push(format!(
                    "{name} names only the session `{value}` of the role, and the vendor's sessions have other names"
                ));
                span = Some(*at);
                help = Some(format!(
                    "write the role ARN `{}` instead of the session ARN",
                    byok.arn
                ));
            }
            Cause::Resource => {
                match &statement.resource {
                    Some(resource) => {
                        let values: Vec<String> = resource
                            .values
                            .items
                            .iter()
                            .map(|v| format!("`{}`", v.value))
                            .collect();
                        why.push(format!(
                            "{name} names the role, but its `{}` {} is not this key `{}`",
                            resource.name("Resource", "NotResource"),
                            super::join(&values, "or"),
                            scope.key
                        ));
                        span = Some(resource.values.span);
                    }
                    None => {
                        why.push(format!(
                            "{name} names the role but has no `Resource`, so it has no effect"
                        ));
                        span = Some(statement.span);
                    }
                }
                help =
                    Some("write `\"Resource\": \"*\"` (in a key policy it means this key)".into());
            }
            Cause::Conditions(failing) => {
                let entries = statement.condition_entries();
                if let Some(entry) = failing.iter().find_map(|&i| entries.get(i)) {
                    let key = entry.key.value;
                    if condition_kind(key) == ConditionKind::EncryptionContext
                        && !takes_encryption_context(action)
                    {
                        why.push(format!(
                            "{name} allows it only with an encryption context (`{key}`), which `{action}` requests never carry"
                        ));
                        help = Some(format!(
                            "move `{action}` to a statement without the encryption-context condition"
                        ));
                    } else {
                        why.push(format!(
                            "{name} names the role, but its condition `{}` on `{key}` does not hold for the vendor's calls",
                            entry.operator.value
                        ));
                        help = Some(format!("remove the condition on `{key}` from {name}"));
                    }
                    span = Some(entry.key.span);
                }
            }
        }
    }
    match reason {
        Reason::IamDoesNotAllow { root, denied_by } => {
            let root_name = root.first().map_or_else(
                || "the account-root statement".to_string(),
                |&i| scope.describe(i),
            );
            if near.is_none() {
                why.push("no statement names the role".into());
            }
            let iam_denies: Vec<String> = denied_by
                .iter()
                .filter_map(|&i| {
                    doc.others
                        .iam
                        .and_then(|iam| iam.statements.iter().find(|s| s.index == i))
                })
                .map(|s| s.label())
                .collect();
            why.push(if iam_denies.is_empty() {
                format!("the role's IAM policy, which {root_name} delegates to, does not allow it")
            } else {
                format!(
                    "the role's IAM policy, which {root_name} delegates to, denies it ({})",
                    super::join(&iam_denies, "and")
                )
            });
            span = span.or_else(|| {
                root.first()
                    .and_then(|&i| scope.statement(i))
                    .and_then(root_value_span)
            });
            help = help.or_else(|| {
                Some(format!(
                    "add the statement `{role_statement}` to the key policy, or allow `{action}` on the key in the role's IAM policy"
                ))
            });
        }
        Reason::NotGranted {
            root_present,
            iam_allows,
        } => {
            if near.is_none() {
                why.push("no statement names the role".into());
            }
            if *root_present {
                why.push("the account-root statement does not delegate it to IAM".into());
            } else if *iam_allows == Some(true) {
                why.push("the role's IAM policy allows it, but without an account-root statement IAM policies have no effect on this key".into());
            } else {
                why.push("without an account-root statement IAM policies cannot grant it".into());
            }
            help = help.or_else(|| Some(format!("add the statement `{role_statement}`")));
        }
    }
    let message = format!(
        "the BYOK role `{}` cannot call `{action}` on the key: {}; {}",
        byok.arn,
        why.join(", and "),
        consequence(action)
    );
    (
        span.unwrap_or_else(|| super::statements_span(doc)),
        message,
        help.unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, findings_with_iam, policy, ROOT};
    use crate::Context;

    const ADMIN: &str = r#"{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": ["kms:Describe*", "kms:Put*"], "Resource": "*"}"#;

    fn users(actions: &str, extra: &str) -> String {
        format!(
            r#"{{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}}, "Action": {actions}, "Resource": "*"{extra}}}"#
        )
    }

    const IAM_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#;

    #[test]
    fn a_dropped_action_names_the_statement_and_the_consequence() {
        let text = policy(&[
            ADMIN,
            &users(r#"["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]"#, ""),
        ]);
        let found = findings(&text, "K002", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role` cannot call `kms:GenerateDataKey` on the key: the key-users statement `Allow use of the key` names the role but does not list it, and without an account-root statement IAM policies cannot grant it; the vendor cannot create the data keys it encrypts your data with"
        );
        assert_eq!(f.line, 3);
        assert_eq!(
            &text[f.span.start..f.span.end],
            r#"["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]"#
        );
        assert_eq!(
            f.help.as_deref(),
            Some("add `\"kms:GenerateDataKey\"` to the `Action` of the key-users statement `Allow use of the key`")
        );
    }

    #[test]
    fn no_statement_for_the_role_gives_one_finding_per_action() {
        let found = findings(&policy(&[ADMIN]), "K002", &Context::example());
        let actions: Vec<&str> = found
            .iter()
            .map(|f| f.message.split('`').nth(3).unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "kms:Decrypt",
                "kms:DescribeKey",
                "kms:Encrypt",
                "kms:GenerateDataKey"
            ]
        );
        assert!(found[0].message.contains(
            "no statement names the role, and without an account-root statement IAM policies cannot grant it"
        ));
        assert!(found[0].help.as_deref().unwrap().starts_with(
            r#"add the statement `{"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}"#
        ));
    }

    #[test]
    fn root_statement_with_an_iam_policy_that_allows_it_is_not_an_error() {
        let key = policy(&[ROOT]);
        assert!(findings_with_iam(&key, IAM_ALL, "K002").is_empty());
        // Without the IAM policy it is possible, and `key-use-only-via-iam` says so.
        assert!(findings(&key, "K002", &Context::example()).is_empty());
    }

    #[test]
    fn an_iam_grant_on_another_key_or_an_iam_deny_is_named() {
        let key = policy(&[ROOT]);
        // The CMK is known: the IAM policy's resource is read as written.
        let other = IAM_ALL.replace("us-east-1", "eu-west-1");
        assert_eq!(findings_with_iam(&key, &other, "K002").len(), 4);
        // The deny is named by its own statement, not another one's.
        let denied = IAM_ALL.replace(
            "\"}]}",
            r#""}, {"Sid": "NoDecrypt", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]}"#,
        );
        let found = findings_with_iam(&key, &denied, "K002");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("`NoDecrypt`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_session_statement_explains_only_the_actions_it_lists() {
        let session = r#"{"Sid": "Session", "Effect": "Allow", "Principal": {"AWS": "arn:aws:sts::111122223333:assumed-role/BYOK_Role/kore-session"}, "Action": "kms:Decrypt", "Resource": "*"}"#;
        let found = findings(&policy(&[ADMIN, session]), "K002", &Context::example());
        assert_eq!(found.len(), 4);
        for f in &found {
            assert_eq!(
                f.message.contains("names only the session"),
                f.message.contains("`kms:Decrypt`"),
                "{}",
                f.message
            );
        }
    }

    #[test]
    fn root_statement_with_an_iam_policy_that_lacks_it_is_an_error() {
        let key = policy(&[ROOT]);
        let iam = IAM_ALL.replace(r#""kms:Decrypt", "#, "");
        let found = findings_with_iam(&key, &iam, "K002");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains(
            "cannot call `kms:Decrypt` on the key: no statement names the role, and the role's IAM policy, which the account-root statement `Enable IAM User Permissions` delegates to, does not allow it"
        ));
        assert_eq!(
            &key[found[0].span.start..found[0].span.end],
            r#""arn:aws:iam::111122223333:root""#
        );
    }

    #[test]
    fn an_iam_policy_without_a_root_statement_has_no_effect() {
        let key = policy(&[ADMIN]);
        let found = findings_with_iam(&key, IAM_ALL, "K002");
        assert_eq!(found.len(), 4);
        assert!(found[0].message.contains(
            "the role's IAM policy allows it, but without an account-root statement IAM policies have no effect on this key"
        ));
    }

    #[test]
    fn wrong_resource_session_and_condition_are_named() {
        let other_key = users(
            r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#,
            "",
        )
        .replace(
            r#""Resource": "*""#,
            r#""Resource": "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-12ab-34cd-56ef-1234567890ab""#,
        );
        let found = findings(&policy(&[ADMIN, &other_key]), "K002", &Context::example());
        assert_eq!(found.len(), 4);
        assert!(found[0].message.contains("names the role, but its `Resource` `arn:aws:kms:us-east-1:111122223333:key/0000aaaa-12ab-34cd-56ef-1234567890ab` is not this key `arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`"));

        let session = users(r#""kms:*""#, "").replace(
            "arn:aws:iam::111122223333:role/BYOK_Role",
            "arn:aws:sts::111122223333:assumed-role/BYOK_Role/kore-session",
        );
        let found = findings(&policy(&[ADMIN, &session]), "K002", &Context::example());
        assert_eq!(found.len(), 4);
        assert!(found[0].message.contains("names only the session `arn:aws:sts::111122223333:assumed-role/BYOK_Role/kore-session` of the role"));

        let tagged = users(
            r#""kms:*""#,
            r#", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "kore"}}"#,
        );
        let text = policy(&[ADMIN, &tagged]);
        let found = findings(&text, "K002", &Context::example());
        assert_eq!(found.len(), 4);
        // `kms:DescribeKey` included: a tag is no encryption context.
        for f in &found {
            assert!(
                f.message.contains("its condition `StringEquals` on `aws:PrincipalTag/team` does not hold for the vendor's calls"),
                "{}",
                f.message
            );
        }
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            r#""aws:PrincipalTag/team""#
        );
    }

    #[test]
    fn the_closest_near_miss_is_named_and_the_first_of_equals() {
        // For `kms:GenerateDataKey`: `Use` names the role but not the action, `Other` and
        // `Third` list it but name other keys. A wrong `Resource` is closer than a missing
        // action, and of the two wrong `Resource`s the first statement's is named.
        let on_key = |sid: &str, key: &str| {
            users(r#"["kms:GenerateDataKey"]"#, "")
                .replace("Allow use of the key", sid)
                .replace(
                    r#""Resource": "*""#,
                    &format!(r#""Resource": "arn:aws:kms:us-east-1:111122223333:key/{key}""#),
                )
        };
        let text = policy(&[
            ADMIN,
            &users(r#"["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]"#, "")
                .replace("Allow use of the key", "Use"),
            &on_key("Other", "0000aaaa-12ab-34cd-56ef-1234567890ab"),
            &on_key("Third", "2222cccc-12ab-34cd-56ef-1234567890ab"),
        ]);
        let found = findings(&text, "K002", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role` cannot call `kms:GenerateDataKey` on the key: the key-users statement `Other` names the role, but its `Resource` `arn:aws:kms:us-east-1:111122223333:key/0000aaaa-12ab-34cd-56ef-1234567890ab` is not this key `arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`, and without an account-root statement IAM policies cannot grant it; the vendor cannot create the data keys it encrypts your data with"
        );
        assert_eq!(found[0].line, 4);
    }

    #[test]
    fn describe_key_never_carries_an_encryption_context() {
        let text = policy(&[
            ADMIN,
            &users(
                r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#,
                r#", "Condition": {"StringEquals": {"kms:EncryptionContext:tenant": "acme"}}"#,
            ),
        ]);
        let found = findings(&text, "K002", &Context::example());
        // The three others are `encryption-context-required`'s.
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains(
            "allows it only with an encryption context (`kms:EncryptionContext:tenant`), which `kms:DescribeKey` requests never carry"
        ));
    }

    #[test]
    fn conditions_every_direct_tls_call_of_the_account_meets_let_the_role_in() {
        let text = policy(&[
            ADMIN,
            &users(
                r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#,
                r#", "Condition": {"Bool": {"aws:SecureTransport": "true", "aws:ViaAWSService": "false"}, "StringEquals": {"kms:CallerAccount": "111122223333", "aws:PrincipalType": "AssumedRole"}}"#,
            ),
        ]);
        let found = findings(&text, "K002", &Context::example());
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_star_statement_for_other_actions_is_no_near_miss() {
        // It singles the role out and fails only on the network, but grants `kms:Decrypt`
        // alone: the three other actions are simply not granted.
        let star = r#"{"Sid": "Network", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BYOK_Role"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}"#;
        let found = findings(&policy(&[ADMIN, star]), "K002", &Context::example());
        let actions: Vec<&str> = found
            .iter()
            .filter_map(|f| f.message.split('`').find(|t| t.starts_with("kms:")))
            .collect();
        assert_eq!(
            actions,
            ["kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
            "{found:#?}"
        );
    }

    #[test]
    fn skipped_without_the_role_arn() {
        let context = Context {
            role_arn: None,
            ..Context::example()
        };
        assert!(findings(&policy(&[ADMIN]), "K002", &context).is_empty());
    }

    #[test]
    fn each_missing_action_has_its_own_consequence() {
        use super::consequence;
        let said: Vec<&str> = [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "kms:DescribeKey",
        ]
        .into_iter()
        .map(consequence)
        .collect();
        assert_eq!(said[0], "the vendor cannot encrypt your data with the key");
        assert!(said[1].starts_with("the vendor cannot decrypt your data"));
        assert!(said[2].starts_with("the vendor cannot create the data keys"));
        assert!(said[3].contains("Test Configuration fails"));
    }
}
