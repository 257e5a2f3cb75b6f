use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::Scope;

declare_rule! {
    /// ## What it catches
    /// A key policy that lets neither the key's account root nor any key administrator call
    /// `kms:PutKeyPolicy`, decided by evaluating that request for the account root
    /// (`arn:aws:iam::ACCOUNT:root`, from the CMK ARN or the Role ARN) and for every principal
    /// the policy names in that account. Conditions on an Allow are given the benefit of the
    /// doubt (the administrator may meet them) and only unconditional Denies count.
    ///
    /// ## Why it matters
    /// KMS refuses such a policy ("The new key policy will not allow you to update the key
    /// policy in the future") unless its lockout safety check is bypassed with
    /// `BypassPolicyLockoutSafetyCheck`; with the check bypassed, nobody can change the policy
    /// any more and only AWS Support can restore access. Error: the policy cannot be saved as
    /// it is, and forcing it makes the key unmanageable.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep the account-root statement the console writes (`"Principal": {"AWS":
    /// "arn:aws:iam::ACCOUNT:root"}`, `"Action": "kms:*"`, `"Resource": "*"`), or a key
    /// administrators statement that includes `kms:PutKeyPolicy`; exempt them from any Deny of
    /// `kms:PutKeyPolicy`.
    pub(crate) static RULE = {
        code: "K001",
        name: "key-policy-lockout",
        severity: Error,
        kinds: [Key],
        check: Some(check),
    };
}

const CONSEQUENCE: &str = "KMS refuses this key policy unless its lockout safety check is bypassed (`BypassPolicyLockoutSafetyCheck`), and once it is bypassed nobody can manage the key any more (only AWS Support can restore access)";

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    // No statement at all is `missing-statement`'s to report.
    if doc.policy.statements.is_empty() {
        return;
    }
    let scope = Scope::of(doc);
    let Some(denies) = scope.lockout() else {
        return;
    };
    let root = scope.root_arn();
    let who = match &root {
        Some(root) => format!("the account root `{root}`"),
        None => "the account root".to_string(),
    };
    let root_statement =
        super::root_statement_json(root.as_deref().unwrap_or("arn:aws:iam::ACCOUNT_ID:root"));
    match denies.first().and_then(|&index| scope.statement(index)) {
        Some(deny) => sink.report(
            &RULE,
            deny.effect.map_or(deny.span, |effect| effect.span),
            format!(
                "{} denies `kms:PutKeyPolicy` to {who} and to every key administrator: {CONSEQUENCE}",
                scope.describe(deny.index)
            ),
            Some(format!(
                "exempt the key administrators from it, e.g. add `\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}` to its `Condition`; the account-root statement is `{root_statement}`",
                root.as_deref().unwrap_or("arn:aws:iam::ACCOUNT_ID:root")
            )),
        ),
        None => sink.report(
            &RULE,
            super::statements_span(doc),
            format!(
                "no statement lets {who} or a key administrator call `kms:PutKeyPolicy`: {CONSEQUENCE}"
            ),
            Some(format!(
                "add the account-root statement `{root_statement}`, or a key administrators statement that includes `kms:PutKeyPolicy`"
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy};
    use crate::Context;

    const USERS: &str = r#"{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}"#;

    #[test]
    fn no_root_and_no_administrator_locks_the_key() {
        let found = findings(&policy(&[USERS]), "K001", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "no statement lets the account root `arn:aws:iam::111122223333:root` or a key administrator call `kms:PutKeyPolicy`: KMS refuses this key policy unless its lockout safety check is bypassed (`BypassPolicyLockoutSafetyCheck`), and once it is bypassed nobody can manage the key any more (only AWS Support can restore access)"
        );
        assert_eq!((f.line, f.column), (1, 27));
        assert!(f
            .help
            .as_deref()
            .unwrap()
            .contains(r#""Principal": {"AWS": "arn:aws:iam::111122223333:root"}"#));
    }

    #[test]
    fn an_administrator_with_put_key_policy_keeps_it_manageable() {
        let admin = r#"{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": ["kms:Create*", "kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"], "Resource": "*"}"#;
        assert!(findings(&policy(&[admin, USERS]), "K001", &Context::example()).is_empty());
        // An administrator of another account cannot change this key's policy.
        let foreign = admin.replace("111122223333", "444455556666");
        assert_eq!(
            findings(&policy(&[&foreign, USERS]), "K001", &Context::example()).len(),
            1
        );
        // A condition may be met by the administrator: not a lockout.
        let mfa = admin.replace(
            r#""Resource": "*"}"#,
            r#""Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#,
        );
        assert!(findings(&policy(&[&mfa, USERS]), "K001", &Context::example()).is_empty());
    }

    #[test]
    fn a_deny_of_put_key_policy_is_named() {
        let root = r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#;
        let deny = r#"{"Sid": "Freeze", "Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*"}"#;
        let text = policy(&[root, USERS, deny]);
        let found = findings(&text, "K001", &Context::example());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with(
            "the deny statement `Freeze` denies `kms:PutKeyPolicy` to the account root `arn:aws:iam::111122223333:root` and to every key administrator:"
        ));
        assert_eq!(&text[found[0].span.start..found[0].span.end], "\"Deny\"");
        // A conditional Deny may not apply to the administrator.
        let conditional = deny.replace(
            r#""Resource": "*"}"#,
            r#""Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}"#,
        );
        assert!(findings(
            &policy(&[root, USERS, &conditional]),
            "K001",
            &Context::example()
        )
        .is_empty());
        // Even one whose condition holds on a request that says nothing: the administrator's
        // real request (signed in with MFA) may not meet it.
        let without_mfa = deny.replace(
            r#""Resource": "*"}"#,
            r#""Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#,
        );
        assert!(findings(
            &policy(&[root, USERS, &without_mfa]),
            "K001",
            &Context::example()
        )
        .is_empty());
    }

    #[test]
    fn works_without_context_from_the_principals_named() {
        let root = r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}"#;
        assert!(findings(&policy(&[root, USERS]), "K001", &Context::default()).is_empty());
        let found = findings(&policy(&[USERS]), "K001", &Context::default());
        assert!(found[0]
            .message
            .starts_with("no statement lets the account root or a key administrator"));
    }

    #[test]
    fn without_a_cmk_arn_a_statement_on_one_key_arn_is_about_this_key() {
        // A key policy is only ever about its own key: with no CMK ARN to compare, its
        // `Resource` values read as `*`, so a root statement naming a key ARN keeps the key
        // manageable.
        let root = r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#;
        let text = policy(&[root, USERS]);
        assert!(findings(&text, "K001", &Context::default()).is_empty());
        // The same when no statement reads `*`.
        let users_on_the_key = USERS.replace(
            r#""Resource": "*""#,
            r#""Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab""#,
        );
        let text = policy(&[root, &users_on_the_key]);
        assert!(findings(&text, "K001", &Context::default()).is_empty());
        // With the CMK ARN known, a statement on another key grants nothing on this one.
        let other = root.replace(
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "0987dcba-09fe-87dc-65ba-ab0987654321",
        );
        assert_eq!(
            findings(&policy(&[&other, USERS]), "K001", &Context::example()).len(),
            1
        );
    }
}
