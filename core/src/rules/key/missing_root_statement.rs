use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::Scope;

declare_rule! {
    /// ## What it catches
    /// A key policy without the account-root statement: no Allow statement lets the key's
    /// account (`arn:aws:iam::ACCOUNT:root` or the bare account id) decide on the key through
    /// IAM, by evaluation. When nobody can manage the key either, `key-policy-lockout`
    /// reports the bigger problem and this rule stays silent. When the BYOK role relied on
    /// IAM for an action (the IAM policy given with the whole setup), `role-cannot-use-key`
    /// reports that error for each action; this warning is about the statement itself.
    ///
    /// ## Why it matters
    /// Without it, IAM policies have no effect on the key: the role's policy from step 1 of
    /// the setup guide grants nothing, and only principals the key policy names can use or
    /// manage the key. The guide's verification expects "both the root account and BYOK_Role
    /// statements". Warning: the key can still work through the statements it has.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": ["kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"], "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the statement the console writes first: `{"Sid": "Enable IAM User Permissions",
    /// "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::ACCOUNT:root"}, "Action": "kms:*",
    /// "Resource": "*"}`.
    pub(crate) static RULE = {
        code: "K010",
        name: "missing-root-statement",
        severity: Warning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    if doc.policy.statements.is_empty() {
        return;
    }
    let scope = Scope::of(doc);
    if !scope.root_statements().is_empty() || scope.lockout().is_some() {
        return;
    }
    let root = scope
        .root_arn()
        .unwrap_or_else(|| "arn:aws:iam::ACCOUNT_ID:root".into());
    sink.report(
        &RULE,
        super::statements_span(doc),
        format!(
            "the key policy has no account-root statement for `{root}`: IAM policies, including the BYOK role's policy from step 1, have no effect on this key, and the setup guide's verification expects both the root account and BYOK_Role statements"
        ),
        Some(format!(
            "add the account-root statement `{}`",
            super::root_statement_json(&root)
        )),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, findings_with_iam, policy, ROOT, USERS};
    use crate::Context;

    const ADMIN: &str = r#"{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": ["kms:Describe*", "kms:Put*"], "Resource": "*"}"#;

    #[test]
    fn administrators_without_root_statement() {
        let text = policy(&[ADMIN, USERS]);
        let found = findings(&text, "K010", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the key policy has no account-root statement for `arn:aws:iam::111122223333:root`: IAM policies, including the BYOK role's policy from step 1, have no effect on this key, and the setup guide's verification expects both the root account and BYOK_Role statements"
        );
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "\"Statement\""
        );
    }

    #[test]
    fn lockout_is_reported_instead() {
        let text = policy(&[USERS]);
        assert!(findings(&text, "K010", &Context::example()).is_empty());
        assert_eq!(findings(&text, "K001", &Context::example()).len(), 1);
    }

    #[test]
    fn a_bare_account_id_is_the_root_too() {
        let root = ROOT.replace("arn:aws:iam::111122223333:root", "111122223333");
        assert!(findings(&policy(&[&root, USERS]), "K010", &Context::example()).is_empty());
        // Another account's root is not this key's.
        let other = ROOT.replace("111122223333", "444455556666");
        assert_eq!(
            findings(
                &policy(&[ADMIN, &other, USERS]),
                "K010",
                &Context::example()
            )
            .len(),
            1
        );
    }

    #[test]
    fn the_role_relying_on_iam_is_role_cannot_use_key() {
        let iam = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}"#;
        let key = policy(&[ADMIN]);
        assert_eq!(findings_with_iam(&key, iam, "K010").len(), 1);
        assert_eq!(findings_with_iam(&key, iam, "K002").len(), 4);
    }
}
