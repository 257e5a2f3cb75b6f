use crate::generate::BYOK_ACTIONS;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::{action_span, management_grants, Byok, Scope, MANAGEMENT};
use super::layout::{classify, Layout};

/// The grant actions: alone, they are `grant-without-aws-resource-condition`'s.
pub(super) const GRANT_ACTIONS: [&str; 2] = ["kms:CreateGrant", "kms:RevokeGrant"];

declare_rule! {
    /// ## What it catches
    /// A statement naming the BYOK role that lets it, by evaluation, call actions that
    /// destroy or lock the key or change who can use it: `kms:ScheduleKeyDeletion`,
    /// `kms:DisableKey`, `kms:PutKeyPolicy`, `kms:DeleteImportedKeyMaterial`,
    /// `kms:TagResource`, `kms:UntagResource`, and `kms:CreateGrant` or `kms:RevokeGrant`
    /// without `kms:GrantIsForAWSResource` (typically through `kms:*` or the role listed among
    /// the key administrators). One finding per statement. A statement whose only such
    /// actions are the grant ones is `grant-without-aws-resource-condition`'s.
    ///
    /// ## Why it matters
    /// The BYOK role is the vendor's access path: whoever can assume it could delete or
    /// disable your key, or rewrite its policy and lock you out. SecurityWarning: the vendor
    /// gets permissions that let it destroy or lock the key.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": "kms:*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Give the BYOK role only the four actions the vendor needs, and keep it out of the key
    /// administrators statement.
    pub(crate) static RULE = {
        code: "K009",
        name: "role-can-manage-key",
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
        if actions.iter().all(|a| GRANT_ACTIONS.contains(a)) {
            continue;
        }
        let Some(statement) = scope.statement(index) else {
            continue;
        };
        let described: Vec<String> = actions
            .iter()
            .map(|action| {
                let what = MANAGEMENT
                    .iter()
                    .find(|(name, _)| name == action)
                    .map_or("", |(_, what)| what);
                format!("`{action}` ({what})")
            })
            .collect();
        let name = scope.describe(index);
        let four = format!(
            "[{}]",
            BYOK_ACTIONS
                .iter()
                .map(|a| format!("\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let among_administrators = classify(statement, scope.account.as_deref())
            == Layout::Administrators
            && statement
                .principal
                .as_ref()
                .is_some_and(|p| p.values().count() > 1);
        let (span, help) = match byok.value_in(statement) {
            Some(value) if among_administrators => (
                value.span,
                format!(
                    "remove the BYOK role from the `Principal` of {name}; give it only the four actions it needs in its own statement"
                ),
            ),
            _ => (
                action_span(statement, &actions).unwrap_or(statement.span),
                format!("give the BYOK role only the four actions the vendor needs: `\"Action\": {four}`"),
            ),
        };
        sink.report(
            &RULE,
            span,
            format!(
                "{name} lets the BYOK role `{}`, the vendor's way in, call {}",
                byok.arn,
                super::join(&described, "and")
            ),
            Some(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    #[test]
    fn kms_star_for_the_role_lists_what_it_can_destroy() {
        let users = USERS.replace(
            r#"["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]"#,
            r#""kms:*""#,
        );
        let text = policy(&[ROOT, &users]);
        let found = findings(&text, "K009", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert!(f.message.starts_with(
            "the key-users statement `Allow use of the key` lets the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role`, the vendor's way in, call `kms:ScheduleKeyDeletion` (delete the key, and with it every record encrypted under it), `kms:DisableKey` (disable the key, stopping every use of it), `kms:PutKeyPolicy` (rewrite the key policy and lock you out), `kms:CreateGrant` (grant use of the key to any principal)"
        ));
        assert_eq!(&text[f.span.start..f.span.end], "\"kms:*\"");
        // One finding for the statement: not `grant-without-aws-resource-condition` as well.
        assert!(findings(&text, "K011", &Context::example()).is_empty());
    }

    #[test]
    fn the_role_among_the_administrators_is_pointed_at() {
        let admin = r#"{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KMSAdminRole", "arn:aws:iam::111122223333:role/BYOK_Role"]}, "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"}"#;
        let text = policy(&[ROOT, admin, USERS]);
        let found = findings(&text, "K009", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "\"arn:aws:iam::111122223333:role/BYOK_Role\""
        );
        assert!(found[0].help.as_deref().unwrap().starts_with(
            "remove the BYOK role from the `Principal` of the key-administrators statement `Allow access for Key Administrators`"
        ));
    }

    #[test]
    fn persistent_resource_grants_and_describe_actions_are_fine() {
        let grants = r#"{"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}"#;
        let update = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": "kms:UpdateKeyDescription", "Resource": "*"}"#;
        assert!(findings(
            &policy(&[ROOT, USERS, grants, update]),
            "K009",
            &Context::example()
        )
        .is_empty());
    }
}
