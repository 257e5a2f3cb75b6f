use crate::eval::resource_matches;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::{role_access, Byok, Cause, Scope, Verdict};

declare_rule! {
    /// ## What it catches
    /// A key policy statement whose `Resource` is something other than `"*"`, or that uses
    /// `NotResource`. With the CMK ARN known, the message says whether the value matches this
    /// key (it works, but is redundant) or not (the statement silently has no effect). When
    /// the value keeps the BYOK role from the key, `role-cannot-use-key` reports it instead.
    ///
    /// ## Why it matters
    /// A key policy is attached to one key, and in it `"*"` means that key. A key ARN there
    /// either repeats the key's own ARN, or, naming another key, an alias or a key in another
    /// region, makes KMS accept a statement that never applies. Warning: the policy is valid,
    /// and the setup guide writes `"*"`.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `"Resource": "*"` in every key policy statement.
    pub(crate) static RULE = {
        code: "K006",
        name: "resource-not-this-key",
        severity: Warning,
        kinds: [Key],
        check: Some(check),
    };
}

const HELP: &str = "write `\"Resource\": \"*\"` (in a key policy it means this key)";

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let scope = Scope::of(doc);
    let explained = explained_by_role_cannot_use_key(doc, scope);
    let cmk = scope.cmk_known.then_some(scope.key.as_str());
    // The document's own statements: without the CMK ARN the scope reads every value as `*`.
    for statement in &doc.policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        if explained.contains(&statement.index) {
            continue;
        }
        // Nothing to say of `"Resource": "*"`: skip building the statement's description.
        if !resource.negated && resource.values.items.iter().all(|item| item.value == "*") {
            continue;
        }
        let name = scope.describe(statement.index);
        if resource.negated {
            sink.report(
                &RULE,
                resource.key_span,
                format!(
                    "{name} uses `NotResource`: a key policy has one resource, the key itself, so the statement either applies to it as with `\"Resource\": \"*\"` or never applies"
                ),
                Some(HELP.into()),
            );
            continue;
        }
        let items = &resource.values.items;
        let is_this_key =
            |value: &str| value == "*" || cmk.is_some_and(|cmk| resource_matches(value, cmk));
        let has_star = items.iter().any(|item| item.value == "*");
        let any_match = items.iter().any(|item| is_this_key(item.value));
        for item in items.iter().filter(|item| item.value != "*") {
            let value = item.value;
            let message = match cmk {
                _ if has_star => format!(
                    "`{value}` in the `Resource` of {name} is redundant: `*` already means this key"
                ),
                Some(_) if is_this_key(value) => format!(
                    "`{value}` in the `Resource` of {name} matches this key: it works, but in a key policy `*` means this key and is what KMS documents"
                ),
                Some(cmk) if any_match => format!(
                    "`{value}` in the `Resource` of {name} is not this key `{cmk}`, so it never matches; the statement applies through its other values"
                ),
                Some(cmk) => format!(
                    "`{value}` in the `Resource` of {name} is not this key `{cmk}`: KMS accepts the policy, but the statement silently has no effect"
                ),
                None => format!(
                    "`{value}` in the `Resource` of {name}: in a key policy the resource is always this key, so the value either repeats the key's ARN or, naming another key or an alias, silently makes the statement ineffective"
                ),
            };
            sink.report(&RULE, item.span, message, Some(HELP.into()));
        }
    }
}

/// Statements whose `Resource` keeps the BYOK role from an action: `role-cannot-use-key`
/// reports those.
fn explained_by_role_cannot_use_key(doc: &Checked<'_>, scope: &Scope<'_>) -> Vec<usize> {
    let Some(byok) = Byok::new(doc) else {
        return Vec::new();
    };
    role_access(doc, scope, &byok)
        .into_iter()
        .filter(|a| matches!(a.verdict, Verdict::Cannot(_)))
        .filter_map(|a| a.near_miss)
        .filter(|n| n.cause == Cause::Resource)
        .map(|n| n.statement)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    const CMK: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const OTHER: &str =
        "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn admin(resource: &str) -> String {
        format!(
            r#"{{"Sid": "Admins", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}}, "Action": ["kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"], "Resource": {resource}}}"#
        )
    }

    #[test]
    fn this_key_is_redundant_and_another_is_ineffective() {
        let text = policy(&[ROOT, USERS, &admin(&format!("\"{CMK}\""))]);
        let found = findings(&text, "K006", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            format!("`{CMK}` in the `Resource` of the key-administrators statement `Admins` matches this key: it works, but in a key policy `*` means this key and is what KMS documents")
        );
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            format!("\"{CMK}\"")
        );
        assert_eq!(found[0].line, 4);

        let text = policy(&[ROOT, USERS, &admin(&format!("\"{OTHER}\""))]);
        let found = findings(&text, "K006", &Context::example());
        assert_eq!(
            found[0].message,
            format!("`{OTHER}` in the `Resource` of the key-administrators statement `Admins` is not this key `{CMK}`: KMS accepts the policy, but the statement silently has no effect")
        );
    }

    #[test]
    fn without_the_cmk_arn_both_readings_are_given() {
        let context = Context {
            cmk_arn: None,
            ..Context::example()
        };
        let found = findings(
            &policy(&[ROOT, USERS, &admin(&format!("\"{OTHER}\""))]),
            "K006",
            &context,
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("either repeats the key's ARN or, naming another key or an alias, silently makes the statement ineffective"));
    }

    #[test]
    fn another_key_beside_this_one_is_only_dead_weight() {
        let found = findings(
            &policy(&[ROOT, USERS, &admin(&format!("[\"{CMK}\", \"{OTHER}\"]"))]),
            "K006",
            &Context::example(),
        );
        let other = found
            .iter()
            .find(|f| f.message.starts_with(&format!("`{OTHER}`")))
            .map(|f| f.message.as_str());
        assert_eq!(
            other,
            Some(format!("`{OTHER}` in the `Resource` of the key-administrators statement `Admins` is not this key `{CMK}`, so it never matches; the statement applies through its other values").as_str())
        );
    }

    #[test]
    fn the_second_statement_is_checked_like_any_other() {
        let found = findings(
            &policy(&[ROOT, &admin(&format!("\"{OTHER}\""))]),
            "K006",
            &Context::example(),
        );
        assert_eq!(found.len(), 1, "{found:#?}");
    }

    #[test]
    fn arrays_and_not_resource() {
        let found = findings(
            &policy(&[ROOT, USERS, &admin(&format!("[\"*\", \"{OTHER}\"]"))]),
            "K006",
            &Context::example(),
        );
        assert!(found[0]
            .message
            .ends_with("is redundant: `*` already means this key"));
        let not_resource = admin("\"*\"").replace("\"Resource\"", "\"NotResource\"");
        let found = findings(
            &policy(&[ROOT, USERS, &not_resource]),
            "K006",
            &Context::example(),
        );
        assert!(found[0].message.contains("uses `NotResource`"));
    }

    #[test]
    fn the_role_statement_on_another_key_is_role_cannot_use_key() {
        let users = USERS.replace(r#""Resource": "*""#, &format!("\"Resource\": \"{OTHER}\""));
        let text = policy(&[&admin("\"*\""), &users]);
        assert!(findings(&text, "K006", &Context::example()).is_empty());
        assert_eq!(findings(&text, "K002", &Context::example()).len(), 4);
    }
}
