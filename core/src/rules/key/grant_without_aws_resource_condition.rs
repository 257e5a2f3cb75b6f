use crate::generate::BYOK_ACTIONS;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::{action_span, management_grants, Byok, Scope};
use super::role_can_manage_key::GRANT_ACTIONS;

declare_rule! {
    /// ## What it catches
    /// A statement naming the BYOK role that lets it call `kms:CreateGrant` (or
    /// `kms:RevokeGrant`) directly, by evaluation with `kms:GrantIsForAWSResource` false: the
    /// console's persistent-resources statement has
    /// `"Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}`, which limits grants to
    /// AWS services acting for the role. When the statement also allows other actions that
    /// destroy or lock the key, `role-can-manage-key` reports it instead.
    ///
    /// ## Why it matters
    /// A grant gives key use to any grantee principal, in any account, outside the key policy:
    /// the vendor, acting as the role, could let anyone use your key, and revoke grants your
    /// AWS resources rely on. SecurityWarning: someone other than intended could get in.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}, {"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove `kms:CreateGrant` from the role's statement: the vendor needs only the four
    /// actions. If an AWS service must attach the key to resources, grant it in a statement
    /// with `"Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}`.
    pub(crate) static RULE = {
        code: "K011",
        name: "grant-without-aws-resource-condition",
        severity: SecurityWarning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(byok) = Byok::new(doc) else {
        return;
    };
    let scope = Scope::of(doc);
    for (index, actions) in management_grants(doc, scope, &byok) {
        // With other management actions the statement is `role-can-manage-key`'s.
        if !actions.iter().all(|a| GRANT_ACTIONS.contains(a)) {
            continue;
        }
        let Some(statement) = scope.statement(index) else {
            continue;
        };
        let name = scope.describe(index);
        let creates = actions.contains(&"kms:CreateGrant");
        let consequence = if creates {
            "could grant use of the key to any principal, in any account"
        } else {
            "could revoke the grants your AWS resources rely on"
        };
        sink.report(
            &RULE,
            action_span(statement, &actions).unwrap_or(statement.span),
            format!(
                "{name} lets the BYOK role `{}` call {} without `\"kms:GrantIsForAWSResource\": \"true\"`: the vendor, acting as the role, {consequence}",
                byok.arn,
                super::code_list(&actions)
            ),
            Some(format!(
                "remove {} (the vendor needs only {}); if an AWS service must attach the key to resources, grant it in a statement with `\"Condition\": {{\"Bool\": {{\"kms:GrantIsForAWSResource\": \"true\"}}}}`",
                super::code_list(&actions),
                super::code_list(&BYOK_ACTIONS)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    const GRANTS: &str = r#"{"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}"#;

    #[test]
    fn the_console_grant_statement_without_its_condition() {
        let bare = GRANTS.replace(
            r#", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}"#,
            "",
        );
        let text = policy(&[ROOT, USERS, &bare]);
        let found = findings(&text, "K011", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "the persistent-resources statement `Allow attachment of persistent resources` lets the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role` call `kms:CreateGrant` and `kms:RevokeGrant` without `\"kms:GrantIsForAWSResource\": \"true\"`: the vendor, acting as the role, could grant use of the key to any principal, in any account"
        );
        assert_eq!(
            &text[f.span.start..f.span.end],
            r#"["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]"#
        );
        assert_eq!(f.line, 4);
    }

    #[test]
    fn with_the_condition_it_is_fine() {
        assert!(findings(&policy(&[ROOT, USERS, GRANTS]), "K011", &Context::example()).is_empty());
        // `false` lets direct calls through.
        let wrong = GRANTS.replace(
            r#""kms:GrantIsForAWSResource": "true""#,
            r#""kms:GrantIsForAWSResource": "false""#,
        );
        assert_eq!(
            findings(&policy(&[ROOT, USERS, &wrong]), "K011", &Context::example()).len(),
            1
        );
    }

    #[test]
    fn a_single_create_grant_points_at_it() {
        let users = USERS.replace(
            r#""kms:DescribeKey"]"#,
            r#""kms:DescribeKey", "kms:CreateGrant"]"#,
        );
        let text = policy(&[ROOT, &users]);
        let found = findings(&text, "K011", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "\"kms:CreateGrant\""
        );
    }
}
