use std::collections::BTreeMap;

use crate::catalog::{self, AccessLevel, Service};
use crate::eval::action_matches;
use crate::generate::BYOK_ACTIONS;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::analysis::{
    is_key_use, list, Setup, DESTRUCTIVE, OTHER_SERVICE_ACTION, OTHER_SERVICE_RESOURCE,
};

declare_rule! {
    /// ## What it catches
    /// A wildcard in `Action` (`kms:*`, `*`, `kms:*Key*`...) or a `NotAction` in an `Allow`
    /// statement that, by evaluation, lets the role do KMS actions beyond the four the vendor
    /// needs on the CMK (or account-wide KMS actions such as `kms:CreateKey`), or the actions
    /// of other AWS services. The finding counts the extra KMS actions and names the most
    /// notable ones. `kms:GenerateDataKey*` and `kms:ReEncrypt*`, which the KMS console's
    /// key-user statement writes, are not reported: they only add cryptographic operations
    /// with the same key. Actions listed one by one are not reported here (the destructive ones
    /// are, by `destructive-kms-action`). Needs the CMK ARN.
    ///
    /// ## Why it matters
    /// The vendor assumes this role: every action the role can do, the vendor can do. A
    /// wildcard gives it the management of the key (deleting it, rewriting its policy, granting
    /// others its use) and, for `*` or `NotAction`, everything else the role's resources allow.
    /// Security warning: the setup works, but the vendor can do far more than it needs.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// List exactly the four actions: `"Action": ["kms:Encrypt", "kms:Decrypt",
    /// "kms:GenerateDataKey", "kms:DescribeKey"]`, with `Action`, not `NotAction`.
    pub(crate) static RULE = {
        code: "I005",
        name: "overbroad-kms-grant",
        severity: SecurityWarning,
        kinds: [Iam],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(setup) = Setup::new(doc) else {
        return;
    };
    // Statement index -> the KMS actions beyond the four it grants the vendor.
    let mut extras: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    for action in catalog::actions().filter(|a| a.service == Service::Kms) {
        if BYOK_ACTIONS.contains(&action.name) {
            continue;
        }
        for statement in setup.granting(action.name) {
            extras.entry(statement.index).or_default().push(action.name);
        }
    }
    let four = BYOK_ACTIONS
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    for statement in setup.allow_statements() {
        let Some(element) = &statement.action else {
            continue;
        };
        let label = statement.label();
        let granted: &[&str] = extras.get(&statement.index).map_or(&[], Vec::as_slice);
        let other_services = setup.applies(statement, OTHER_SERVICE_ACTION, OTHER_SERVICE_RESOURCE);
        if element.negated {
            if granted.iter().all(|a| is_key_use(a)) && !other_services {
                continue;
            }
            sink.report(
                &RULE,
                element.key_span,
                format!(
                    "`NotAction` with `Allow` in {label} lets the vendor do every action it does \
                     not list: {}",
                    describe(granted, other_services)
                ),
                Some(format!(
                    "replace `NotAction` and its value with `\"Action\": [{four}]`"
                )),
            );
            continue;
        }
        for value in element.values.items.iter() {
            if !crate::policy::has_wildcard(value.value) {
                continue;
            }
            let mine: Vec<&str> = granted
                .iter()
                .copied()
                .filter(|a| action_matches(value.value, a))
                .collect();
            let other = other_services && action_matches(value.value, OTHER_SERVICE_ACTION);
            if mine.iter().all(|a| is_key_use(a)) && !other {
                continue;
            }
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` in {label} lets the vendor do {}",
                    value.value,
                    describe(&mine, other)
                ),
                Some(if element.values.items.len() == 1 {
                    format!("write `\"Action\": [{four}]`")
                } else {
                    format!(
                        "replace `\"{}\"` with the actions the vendor needs: `{four}`",
                        value.value
                    )
                }),
            );
        }
    }
}

/// "54 KMS actions beyond the four the vendor needs, among them ..., and every action of
/// every other AWS service on the resources it names".
fn describe(kms: &[&str], other_services: bool) -> String {
    let others = "every action of every other AWS service on the resources it names";
    if kms.is_empty() {
        return others.to_string();
    }
    let count = kms.len();
    let plural = if count == 1 { "" } else { "s" };
    let notable = notable(kms);
    let among = if notable.len() < count {
        format!(", among them {}", list(&notable))
    } else {
        format!(": {}", list(&notable))
    };
    let tail = if other_services {
        format!("; and {others}")
    } else {
        String::new()
    };
    format!("{count} KMS action{plural} beyond the four it needs{among}{tail}")
}

/// Up to three actions worth naming: the destructive ones first, then permissions
/// management, then the rest, in catalog order.
fn notable<'s>(actions: &[&'s str]) -> Vec<&'s str> {
    let rank = |action: &str| {
        if let Some(i) = DESTRUCTIVE.iter().position(|(d, _)| *d == action) {
            return i;
        }
        match catalog::action(action).map(|a| a.access_level) {
            Some(AccessLevel::PermissionsManagement) => DESTRUCTIVE.len(),
            _ => DESTRUCTIVE.len() + 1,
        }
    };
    let mut ranked: Vec<&str> = actions.to_vec();
    ranked.sort_by_key(|a| rank(a));
    ranked.truncate(3);
    ranked
}

#[cfg(test)]
mod tests {
    use super::super::analysis::testing::{findings, policy, under, CMK};

    const FOUR: &str = r#""kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey""#;

    #[test]
    fn kms_star_on_the_cmk() {
        let text = policy(r#""kms:*""#, &format!("\"{CMK}\""), "");
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`kms:*` in statement `BYOK` lets the vendor do 43 KMS actions beyond the four it \
             needs, among them `kms:ScheduleKeyDeletion`, `kms:DisableKey` and `kms:PutKeyPolicy`"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(format!("write `\"Action\": [{FOUR}]`").as_str())
        );
        assert_eq!(under(&text, &found[0]), "\"kms:*\"");
        // Allowed all the same: no missing action.
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn star_on_star_names_other_services() {
        let text = policy(r#"["*"]"#, r#""*""#, "");
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with(
            "`*` in statement `BYOK` lets the vendor do 54 KMS actions beyond the four it needs"
        ));
        assert!(found[0]
            .message
            .ends_with("; and every action of every other AWS service on the resources it names"));
        assert!(findings(&text, "I007").is_empty(), "`*` is this rule's");
    }

    #[test]
    fn a_key_pattern_names_what_it_adds() {
        let text = policy(
            &format!("[{FOUR}, \"kms:*Key*\"]"),
            &format!("\"{CMK}\""),
            "",
        );
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .starts_with("`kms:*Key*` in statement `BYOK` lets the vendor do"));
        assert!(found[0].message.contains("`kms:ScheduleKeyDeletion`"));
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("replace `\"kms:*Key*\"` with the actions the vendor needs"));
    }

    #[test]
    fn not_action_with_allow() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "N", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#;
        let found = findings(text, "I005");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with(
            "`NotAction` with `Allow` in statement `N` lets the vendor do every action it does \
             not list: 54 KMS actions"
        ));
        assert_eq!(under(text, &found[0]), "\"NotAction\"");
    }

    #[test]
    fn not_action_is_reported_for_kms_actions_alone_or_other_services_alone() {
        // On the CMK only: no other service, but every KMS action but one.
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "N", "Effect": "Allow", "NotAction": "kms:ScheduleKeyDeletion", "Resource": "{CMK}"}}]}}"#
        );
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.starts_with(
                "`NotAction` with `Allow` in statement `N` lets the vendor do every action it \
                 does not list: 42 KMS actions beyond the four it needs"
            ),
            "{}",
            found[0].message
        );
        assert!(!found[0].message.contains("other AWS service"));
        // Every KMS action excluded: every other service's actions are still allowed.
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "N", "Effect": "Allow", "NotAction": "kms:*", "Resource": "*"}]}"#;
        let found = findings(text, "I005");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`NotAction` with `Allow` in statement `N` lets the vendor do every action it does \
             not list: every action of every other AWS service on the resources it names"
        );
    }

    #[test]
    fn other_services_are_named_only_where_the_pattern_and_the_resource_reach_them() {
        // `*` on the CMK: every KMS action, but no other service's resource.
        let text = policy(r#""*""#, &format!("\"{CMK}\""), "");
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert!(
            !found[0].message.contains("other AWS service"),
            "{}",
            found[0].message
        );
        // `kms:*` on everything: other services' resources, but not their actions.
        let text = policy(r#""kms:*""#, r#""*""#, "");
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`kms:*` in statement `BYOK` lets the vendor do 54 KMS actions beyond the four it \
             needs, among them `kms:ScheduleKeyDeletion`, `kms:DisableKey` and `kms:PutKeyPolicy`"
        );
    }

    #[test]
    fn console_key_user_wildcards_are_not_reported() {
        let text = policy(
            r#"["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]"#,
            &format!("\"{CMK}\""),
            "",
        );
        assert!(findings(&text, "I005").is_empty());
        assert!(findings(&text, "I001").is_empty());
    }

    #[test]
    fn a_deny_that_takes_the_extras_back() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "kms:*", "Resource": "{CMK}"}},
  {{"Effect": "Deny", "NotAction": [{FOUR}], "Resource": "*"}}
]}}"#
        );
        assert!(findings(&text, "I005").is_empty());
    }

    #[test]
    fn a_wildcard_on_another_key_grants_nothing_here() {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": [{FOUR}], "Resource": "{CMK}"}},
  {{"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"}}
]}}"#
        );
        assert!(findings(&text, "I005").is_empty());
    }

    #[test]
    fn up_to_three_extra_actions_are_all_named() {
        let text = policy(
            &format!("[{FOUR}, \"kms:GetKeyRotation*\"]"),
            &format!("\"{CMK}\""),
            "",
        );
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .ends_with("1 KMS action beyond the four it needs: `kms:GetKeyRotationStatus`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn permissions_management_is_named_before_reads_and_lists() {
        // Four grant actions on the key: two destructive, then `RetireGrant` (permissions
        // management) before `ListGrants`, which comes earlier in the catalog.
        let text = policy(r#""kms:*Grant*""#, &format!("\"{CMK}\""), "");
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.ends_with(
                "4 KMS actions beyond the four it needs, among them `kms:CreateGrant`, `kms:RevokeGrant` and `kms:RetireGrant`"
            ),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_condition_on_the_encryption_algorithm_holds_for_every_symmetric_call() {
        // Symmetric calls (encrypt, decrypt, data keys, re-encrypt) carry
        // `kms:EncryptionAlgorithm`, so this condition turns all of them away: 43 extra actions
        // without it, less the five symmetric ones beyond the four.
        let text = policy(
            r#""kms:*""#,
            &format!("\"{CMK}\""),
            r#", "Condition": {"StringNotEquals": {"kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}"#,
        );
        let found = findings(&text, "I005");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("lets the vendor do 38 KMS actions beyond the four"),
            "{}",
            found[0].message
        );
    }
}
