use crate::eval::PrincipalRef;
use crate::policy::{Checked, PrincipalKind};
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

use super::access::{role_access, Byok, Cause, Scope, Verdict};

declare_rule! {
    /// ## What it catches
    /// An assumed-role session ARN (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`) as an
    /// `AWS` principal of a key policy. When it is the only thing that would let the BYOK
    /// role use the key, `role-cannot-use-key` reports it instead.
    ///
    /// ## Why it matters
    /// A session principal names one session of the role, by its session name: the vendor
    /// chooses a session name each time it assumes the role, so the grant stops working at the
    /// next session, and KMS may reject the policy once the session has expired. Warning: the
    /// policy is valid, but the grant does not do what was meant.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/BYOK_Role", "arn:aws:sts::111122223333:assumed-role/BYOK_Role/kore-session"]}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the role's ARN (`arn:aws:iam::ACCOUNT:role/NAME`, with its path if it has one):
    /// it covers every session of the role.
    pub(crate) static RULE = {
        code: "K007",
        name: "session-principal",
        severity: Warning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let byok = Byok::new(doc);
    let explained = explained_by_role_cannot_use_key(doc, byok.as_ref());
    for statement in &doc.policy.statements {
        let Some(principal) = &statement.principal else {
            continue;
        };
        for (kind, value) in principal.values() {
            if kind != Some(PrincipalKind::Aws) || explained.contains(&value.span) {
                continue;
            }
            let Some(role) = PrincipalRef::from_arn(value.value).role_arn() else {
                continue;
            };
            let session = value.value.rsplit('/').next().unwrap_or_default();
            let role = match &byok {
                Some(byok) if byok.is_session(value.value) => byok.arn.clone(),
                _ => role,
            };
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is one assumed-role session, not a role: the grant applies only to the session named `{session}`, so it stops working when the session name changes, and KMS may reject the policy once the session has expired",
                    value.value
                ),
                Some(format!(
                    "write the role ARN `{role}` (with the role's path, if it has one)"
                )),
            );
        }
    }
}

/// Session values that keep the BYOK role from an action: `role-cannot-use-key` reports those.
fn explained_by_role_cannot_use_key(doc: &Checked<'_>, byok: Option<&Byok>) -> Vec<Span> {
    let Some(byok) = byok else {
        return Vec::new();
    };
    let scope = Scope::of(doc);
    role_access(doc, scope, byok)
        .into_iter()
        .filter(|a| matches!(a.verdict, Verdict::Cannot(_)))
        .filter_map(|a| a.near_miss)
        .filter_map(|n| match n.cause {
            Cause::Session { span, .. } => Some(span),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/BYOK_Role/kore-session";

    #[test]
    fn a_session_principal_is_reported_with_the_role_arn() {
        let users = USERS.replace(
            "\"arn:aws:iam::111122223333:role/BYOK_Role\"",
            &format!("[\"arn:aws:iam::111122223333:role/BYOK_Role\", \"{SESSION}\"]"),
        );
        let text = policy(&[ROOT, &users]);
        let found = findings(&text, "K007", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            format!("`{SESSION}` is one assumed-role session, not a role: the grant applies only to the session named `kore-session`, so it stops working when the session name changes, and KMS may reject the policy once the session has expired")
        );
        assert_eq!(&text[f.span.start..f.span.end], format!("\"{SESSION}\""));
        assert_eq!(
            f.help.as_deref(),
            Some("write the role ARN `arn:aws:iam::111122223333:role/BYOK_Role` (with the role's path, if it has one)")
        );
    }

    #[test]
    fn another_roles_session_gets_its_own_role() {
        let other = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:sts::444455556666:assumed-role/Ops/alice"}, "Action": "kms:DescribeKey", "Resource": "*"}"#;
        let found = findings(&policy(&[ROOT, USERS, other]), "K007", &Context::default());
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`arn:aws:iam::444455556666:role/Ops`"));
    }

    #[test]
    fn the_only_grant_to_a_session_is_role_cannot_use_key() {
        let admin = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": "kms:Put*", "Resource": "*"}"#;
        let users = USERS.replace("arn:aws:iam::111122223333:role/BYOK_Role", SESSION);
        let text = policy(&[admin, &users]);
        assert!(findings(&text, "K007", &Context::example()).is_empty());
        assert_eq!(findings(&text, "K002", &Context::example()).len(), 4);
    }
}
