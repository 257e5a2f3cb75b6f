use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::{entries_of_kind, quoted_values, role_statements, Byok, ConditionKind, Scope};

declare_rule! {
    /// ## What it catches
    /// A `kms:EncryptionContext:KEY` or `kms:EncryptionContextKeys` condition on a statement
    /// that grants the BYOK role any of the four actions. The role's calls without that
    /// context fail, and `role-cannot-use-key` stays silent for the actions that only the
    /// context decides (not for `kms:DescribeKey`, which never carries a context).
    ///
    /// ## Why it matters
    /// The vendor chooses the encryption context it sends; unless it sends exactly the one the
    /// condition asks for, every `Encrypt`, `Decrypt` and `GenerateDataKey` call fails with
    /// an access denied error. Warning: it works only if the vendor has agreed to send that
    /// context, which the setup guide does not ask for.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:tenant": "acme"}}}, {"Sid": "Allow BYOK role to describe the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the encryption-context condition from the role's statement, unless the vendor
    /// has confirmed it sends exactly that context with every request.
    pub(crate) static RULE = {
        code: "K012",
        name: "encryption-context-required",
        severity: Warning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(byok) = Byok::new(doc) else {
        return;
    };
    let scope = Scope::of(doc);
    for statement in role_statements(scope, &byok, ConditionKind::EncryptionContext) {
        let entries = entries_of_kind(statement, ConditionKind::EncryptionContext);
        let Some(first) = entries.first() else {
            continue;
        };
        let required: Vec<String> = entries
            .iter()
            .map(|entry| {
                let key = entry.key.value;
                let values = quoted_values(entry);
                match key
                    .split_once(':')
                    .and_then(|(_, rest)| rest.split_once(':'))
                {
                    Some((_, context_key)) if entry.operator.value.starts_with("StringEquals") => {
                        format!("`{context_key}` = {values}")
                    }
                    Some((_, context_key)) => {
                        format!("`{context_key}` (`{}` {values})", entry.operator.value)
                    }
                    None => format!("the keys {values}"),
                }
            })
            .collect();
        let name = scope.describe(statement.index);
        sink.report(
            &RULE,
            first.key.span,
            format!(
                "{name} lets the BYOK role use the key only with the encryption context {}: the vendor must send exactly that context with every call, or the call fails",
                super::join(&required, "and")
            ),
            Some(format!(
                "remove the `{}` condition from {name}, unless the vendor has confirmed that it sends this encryption context with every request",
                first.key.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT, USERS};
    use crate::Context;

    fn users(condition: &str) -> String {
        USERS.replace(
            r#""Resource": "*"}"#,
            &format!(r#""Resource": "*", "Condition": {condition}}}"#),
        )
    }

    #[test]
    fn names_the_required_context() {
        let text = policy(&[
            ROOT,
            &users(
                r#"{"StringEquals": {"kms:EncryptionContext:tenant": "acme", "kms:EncryptionContext:app": ["kore", "bots"]}}"#,
            ),
        ]);
        let found = findings(&text, "K012", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "the key-users statement `Allow use of the key` lets the BYOK role use the key only with the encryption context `tenant` = `acme` and `app` = `kore` or `bots`: the vendor must send exactly that context with every call, or the call fails"
        );
        assert_eq!(
            &text[f.span.start..f.span.end],
            "\"kms:EncryptionContext:tenant\""
        );
        // Encrypt, Decrypt and GenerateDataKey are this rule's; DescribeKey can never pass.
        let errors = findings(&text, "K002", &Context::example());
        assert!(
            errors.is_empty(),
            "the root statement may still grant DescribeKey: {errors:?}"
        );
    }

    #[test]
    fn context_keys_are_named() {
        let text = policy(&[
            ROOT,
            &users(r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]}}"#),
        ]);
        let found = findings(&text, "K012", &Context::example());
        assert!(found[0]
            .message
            .contains("encryption context the keys `tenant`"));
        // Any operator but `StringEquals` is named with its values.
        let text = policy(&[
            ROOT,
            &users(r#"{"StringLike": {"kms:EncryptionContext:tenant": "acme-*"}}"#),
        ]);
        let found = findings(&text, "K012", &Context::example());
        assert!(
            found[0]
                .message
                .contains("encryption context `tenant` (`StringLike` `acme-*`)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn other_principals_conditions_are_not_the_roles() {
        let other = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Batch"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:job": "x"}}}"#;
        assert!(findings(&policy(&[ROOT, USERS, other]), "K012", &Context::example()).is_empty());
    }
}
