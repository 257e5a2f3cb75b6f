//! Names the part each statement plays in the layout the KMS console writes, so that messages
//! say "the key-users statement `Allow use of the key`" rather than "statement 2".
//!
//! This only names statements: the checks themselves decide by evaluation.

use crate::eval::action_element_matches;
use crate::policy::{Effect, PrincipalKind, Statement};

/// The roles of the console's default key policy, plus the two every policy can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// `Enable IAM User Permissions`: the key's account root, which lets IAM policies work.
    AccountRoot,
    /// `Allow access for Key Administrators`: principals that manage the key.
    Administrators,
    /// `Allow use of the key`: principals that use the key for cryptography.
    KeyUsers,
    /// `Allow attachment of persistent resources`: grants limited by `kms:GrantIsForAWSResource`.
    PersistentResources,
    Deny,
    Other,
}

impl Layout {
    /// The role's name in messages; `None` for a statement of no recognised role.
    pub(super) const fn name(self) -> Option<&'static str> {
        match self {
            Layout::AccountRoot => Some("account-root"),
            Layout::Administrators => Some("key-administrators"),
            Layout::KeyUsers => Some("key-users"),
            Layout::PersistentResources => Some("persistent-resources"),
            Layout::Deny => Some("deny"),
            Layout::Other => None,
        }
    }
}

/// Actions a key user is given for a symmetric key (and `DescribeKey`, which every user gets).
const USE_ACTIONS: [&str; 7] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];

/// The Sids the KMS console (and AWS's documentation) write for each part.
const CONSOLE_SIDS: [(&str, Layout); 5] = [
    ("Enable IAM User Permissions", Layout::AccountRoot),
    ("Enable IAM policies", Layout::AccountRoot),
    (
        "Allow access for Key Administrators",
        Layout::Administrators,
    ),
    ("Allow use of the key", Layout::KeyUsers),
    (
        "Allow attachment of persistent resources",
        Layout::PersistentResources,
    ),
];

/// Which part `statement` plays: by the console's Sid when it has one, else by its content. `account` is the key's account when known; without it any
/// account root counts as the account-root statement.
pub(super) fn classify(statement: &Statement<'_>, account: Option<&str>) -> Layout {
    match statement.effect() {
        Some(Effect::Deny) => return Layout::Deny,
        Some(Effect::Allow) => {}
        None => return Layout::Other,
    }
    // The console's own Sids say what the statement was written as, whatever was edited since.
    let console = statement.sid.and_then(|sid| {
        CONSOLE_SIDS
            .iter()
            .find(|(name, _)| sid.value.eq_ignore_ascii_case(name))
            .map(|(_, layout)| *layout)
    });
    if let Some(layout) = console {
        return layout;
    }
    let covers = |action: &str| {
        statement
            .action
            .as_ref()
            .is_some_and(|element| action_element_matches(element, action))
    };
    if names_account_root(statement, account) {
        Layout::AccountRoot
    } else if covers("kms:PutKeyPolicy") || covers("kms:ScheduleKeyDeletion") {
        Layout::Administrators
    } else if covers("kms:CreateGrant")
        && statement.condition_entries().iter().any(|e| {
            e.key
                .value
                .eq_ignore_ascii_case("kms:GrantIsForAWSResource")
        })
    {
        Layout::PersistentResources
    } else if USE_ACTIONS.iter().any(|action| covers(action)) {
        Layout::KeyUsers
    } else {
        Layout::Other
    }
}

/// True when the statement's `Principal` lists the account root (`arn:P:iam::A:root`, or the
/// bare account id) of `account`, or of any account when `account` is `None`.
pub(super) fn names_account_root(statement: &Statement<'_>, account: Option<&str>) -> bool {
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return false;
    };
    principal
        .values()
        .filter(|(kind, _)| *kind == Some(PrincipalKind::Aws))
        .filter_map(|(_, value)| root_account(value.value))
        .any(|root| account.is_none_or(|a| a == root))
}

/// The account of an account-root principal value (`arn:P:iam::A:root` or a bare account id).
pub(super) fn root_account(value: &str) -> Option<&str> {
    if is_account_id(value) {
        return Some(value);
    }
    let ["arn", _partition, "iam", "", account, "root"] = crate::eval::arn_parts(value)? else {
        return None;
    };
    is_account_id(account).then_some(account)
}

pub(super) fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

/// How messages name a statement: "the key-users statement `Allow use of the key`", "the
/// account-root statement 0", or "statement `Custom`" when it plays no recognised part.
pub(super) fn describe(statement: &Statement<'_>, account: Option<&str>) -> String {
    let label = match statement.sid {
        Some(sid) if !sid.value.is_empty() => format!("`{}`", sid.value),
        _ => statement.index.to_string(),
    };
    match classify(statement, account).name() {
        Some(name) => format!("the {name} statement {label}"),
        None => format!("statement {label}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn with_policy(text: &str, test: impl FnOnce(&Policy<'_>)) {
        let mut sink = crate::rules::Sink::default();
        let arena = bumpalo::Bump::new();
        let json = crate::json::parse(text, &arena, &mut sink).unwrap();
        let policy = crate::policy::parse_policy(&json, &mut sink).unwrap();
        test(&policy);
    }

    #[test]
    fn names_the_console_layout() {
        let text = include_str!("../../../../tests/fixtures/kore-ai-correct/key-policy.json");
        with_policy(text, |policy| {
            let names: Vec<String> = policy
                .statements
                .iter()
                .map(|s| describe(s, Some("111122223333")))
                .collect();
            assert_eq!(
                names,
                [
                    "the account-root statement `Enable IAM User Permissions`",
                    "the key-administrators statement `Allow access for Key Administrators`",
                    "the key-users statement `Allow BYOK role to use the key`",
                ]
            );
        });
    }

    #[test]
    fn names_grants_denies_and_the_rest() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/R"}, "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
            {"Sid": "NoDelete", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"},
            {"Sid": "Tags", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/R"}, "Action": "kms:ListResourceTags", "Resource": "*"},
            {"Sid": "", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "kms:Decrypt", "Resource": "*"}
        ]}"#;
        with_policy(text, |policy| {
            let account = Some("111122223333");
            let names: Vec<String> = policy
                .statements
                .iter()
                .map(|s| describe(s, account))
                .collect();
            assert_eq!(
                names,
                [
                    "the persistent-resources statement 0",
                    "the deny statement `NoDelete`",
                    "statement `Tags`",
                    // An empty Sid names nothing: the index does.
                    "the key-users statement 3",
                ]
            );
            // Without the key's account, any account root is taken for the account root.
            assert_eq!(classify(&policy.statements[3], None), Layout::AccountRoot);
        });
    }

    #[test]
    fn the_console_sids_name_edited_statements() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/R"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "allow use of the key", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}
        ]}"#;
        with_policy(text, |policy| {
            let layouts: Vec<Layout> = policy
                .statements
                .iter()
                .map(|s| classify(s, Some("111122223333")))
                .collect();
            // `kms:*` would make it an administrators statement; the Sid says key users.
            assert_eq!(
                layouts,
                [Layout::KeyUsers, Layout::AccountRoot, Layout::Deny]
            );
        });
    }

    #[test]
    fn reads_account_roots() {
        assert_eq!(
            root_account("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(
            root_account("arn:aws-cn:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(root_account("111122223333"), Some("111122223333"));
        assert_eq!(root_account("arn:aws:iam::111122223333:role/root"), None);
        assert_eq!(root_account("arn:aws:iam::1111:root"), None);
    }
}
