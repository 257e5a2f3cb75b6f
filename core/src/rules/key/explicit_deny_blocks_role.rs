use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::{role_access, Byok, Scope, Verdict};

declare_rule! {
    /// ## What it catches
    /// A `Deny` statement that applies to the vendor's calls as the BYOK role for some of the
    /// four actions, decided by evaluation: the role, calling directly from the vendor's
    /// network without an encryption context. Reported once per Deny statement, with the
    /// actions it blocks (`role-cannot-use-key` does not report those actions again).
    ///
    /// ## Why it matters
    /// An explicit Deny overrides every Allow, in the key policy and in IAM: the vendor gets
    /// `AccessDeniedException ... with an explicit deny in a resource-based policy`. Denies
    /// that require an encryption context or a network the vendor does not use are the usual
    /// cause. Error: the setup cannot work as the vendor needs.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}, {"Sid": "Only from the office", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}, {"Sid": "Only from the office", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}, "ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BYOK_Role"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the Deny, or exempt the BYOK role from it with
    /// `"ArnNotEquals": {"aws:PrincipalArn": "ROLE_ARN"}` in its `Condition`.
    pub(crate) static RULE = {
        code: "K004",
        name: "explicit-deny-blocks-role",
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
    let mut blocked: Vec<(usize, Vec<&str>)> = Vec::new();
    for access in role_access(doc, scope, &byok) {
        let Verdict::Denied(denies) = &access.verdict else {
            continue;
        };
        for &index in denies {
            match blocked.iter_mut().find(|(i, _)| *i == index) {
                Some((_, actions)) => actions.push(access.action),
                None => blocked.push((index, vec![access.action])),
            }
        }
    }
    blocked.sort_by_key(|(index, _)| *index);
    for (index, actions) in blocked {
        let Some(statement) = scope.statement(index) else {
            continue;
        };
        let entries = statement.condition_entries();
        let mut keys: Vec<String> = entries
            .iter()
            .map(|e| format!("`{}`", e.key.value))
            .collect();
        keys.dedup();
        let condition = if keys.is_empty() {
            String::new()
        } else {
            format!(
                " (its condition on {} holds for the vendor's calls, which come from the vendor's network without an encryption context)",
                super::join(&keys, "and")
            )
        };
        let span = entries
            .first()
            .map(|e| e.key.span)
            .or_else(|| statement.effect.map(|e| e.span))
            .unwrap_or(statement.span);
        let name = scope.describe(index);
        sink.report(
            &RULE,
            span,
            format!(
                "{name} blocks the BYOK role `{}` from {}{condition}: an explicit Deny overrides every Allow, so the vendor cannot use the key for {}",
                byok.arn,
                super::code_list(&actions),
                if actions.len() == 1 { "it" } else { "them" }
            ),
            Some(format!(
                "remove {name}, or exempt the BYOK role from it: add `\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}` to its `Condition`",
                byok.arn
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    #[test]
    fn a_deny_shadowing_the_role_is_named_instead_of_role_cannot_use_key() {
        let deny = r#"{"Sid": "NoDecrypt", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Decrypt", "kms:ReEncrypt*"], "Resource": "*"}"#;
        let text = policy(&[ROOT, USERS, deny]);
        let found = findings(&text, "K004", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "the deny statement `NoDecrypt` blocks the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role` from `kms:Decrypt`: an explicit Deny overrides every Allow, so the vendor cannot use the key for it"
        );
        assert_eq!(&text[f.span.start..f.span.end], "\"Deny\"");
        assert_eq!(f.line, 4);
        assert!(findings(&text, "K002", &Context::example()).is_empty());
    }

    #[test]
    fn an_encryption_context_deny_names_its_condition() {
        let deny = r#"{"Sid": "RequireContext", "Effect": "Deny", "Principal": "*", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*", "Condition": {"StringNotEquals": {"kms:EncryptionContext:app": "billing"}}}"#;
        let text = policy(&[ROOT, USERS, deny]);
        let found = findings(&text, "K004", &Context::example());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains(
            "from `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` (its condition on `kms:EncryptionContext:app` holds"
        ));
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            r#""kms:EncryptionContext:app""#
        );
    }

    #[test]
    fn a_deny_that_exempts_the_role_is_fine() {
        let deny = r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}"#;
        assert!(findings(&policy(&[ROOT, USERS, deny]), "K004", &Context::example()).is_empty());
    }
}
