use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::access::{role_access, root_value_span, Byok, Cause, Scope, Verdict};

declare_rule! {
    /// ## What it catches
    /// The BYOK role gets some of the four actions only through the account-root statement
    /// and IAM delegation, not from a statement naming the role: the key policy lets the
    /// account decide, and the role's IAM policy (step 1) does the granting. When the whole
    /// setup is verified the IAM policy is evaluated too (if it does not allow the action,
    /// that is `role-cannot-use-key`); otherwise the path is reported as possible.
    ///
    /// ## Why it matters
    /// It works, but step 4 of the setup guide adds the role to the key policy, and the
    /// guide's "Key Users" verification expects to see it there; access then also hangs on
    /// an IAM policy anyone with IAM rights in the account can change. Warning: allowed by
    /// the guide's own mechanics, but worth changing.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add the statement of step 4: `"Principal": {"AWS": "ROLE_ARN"}`, the four actions,
    /// `"Resource": "*"` (or add the missing actions to the statement that names the role).
    pub(crate) static RULE = {
        code: "K003",
        name: "key-use-only-via-iam",
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
    let accesses = role_access(doc, scope, &byok);
    let mut actions: Vec<&str> = Vec::new();
    let mut root: Option<usize> = None;
    let mut verified = true;
    let mut partial: Option<usize> = None;
    for access in &accesses {
        let Verdict::Delegated {
            root: delegating,
            verified: this_verified,
        } = &access.verdict
        else {
            continue;
        };
        actions.push(access.action);
        root = root.or_else(|| delegating.first().copied());
        verified &= *this_verified;
        if let Some(near) = access
            .near_miss
            .as_ref()
            .filter(|n| n.cause == Cause::ActionNotListed)
        {
            partial = partial.or(Some(near.statement));
        }
    }
    if actions.is_empty() {
        return;
    }
    let listed = super::code_list(&actions);
    let root_name = root.map_or_else(
        || "the account-root statement".to_string(),
        |i| scope.describe(i),
    );
    let through = if verified {
        format!(
            "{root_name} and the role's IAM policy, which allows {}",
            them(&actions)
        )
    } else {
        format!("{root_name} and the role's IAM policy (not given here, so not verified)")
    };
    let expectation = "this works, but step 4 of the setup guide, and its Key Users check, expect the role in the key policy";
    let named = partial.and_then(|i| scope.statement(i));
    match named {
        Some(statement) => {
            let name = scope.describe(statement.index);
            let quoted: Vec<String> = actions.iter().map(|a| format!("`\"{a}\"`")).collect();
            sink.report(
                &RULE,
                statement.action.as_ref().map_or(statement.span, |a| a.values.span),
                format!(
                    "{name} names the BYOK role `{}` but not {listed}: the role gets {} only through {through}; {expectation}",
                    byok.arn,
                    them(&actions)
                ),
                Some(format!(
                    "add {} to the `Action` of {name}",
                    super::join(&quoted, "and")
                )),
            );
        }
        None => {
            let span = root
                .and_then(|i| scope.statement(i))
                .and_then(|s| root_value_span(s).or(Some(s.span)))
                .unwrap_or_else(|| super::statements_span(doc));
            sink.report(
                &RULE,
                span,
                format!(
                    "no statement names the BYOK role `{}`: it gets {listed} only through {through}; {expectation}",
                    byok.arn
                ),
                Some(format!(
                    "add this statement to the key policy: `{}`",
                    super::role_statement_json(&byok.arn)
                )),
            );
        }
    }
}

fn them(actions: &[&str]) -> &'static str {
    if actions.len() == 1 {
        "it"
    } else {
        "them"
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, findings_with_iam, policy, ROOT};
    use crate::Context;

    #[test]
    fn root_only_is_a_warning_with_the_statement_to_add() {
        let text = policy(&[ROOT]);
        let found = findings(&text, "K003", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "no statement names the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role`: it gets `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` and `kms:DescribeKey` only through the account-root statement `Enable IAM User Permissions` and the role's IAM policy (not given here, so not verified); this works, but step 4 of the setup guide, and its Key Users check, expect the role in the key policy"
        );
        assert_eq!(
            &text[f.span.start..f.span.end],
            r#""arn:aws:iam::111122223333:root""#
        );
        assert_eq!(
            f.help.as_deref(),
            Some(
                r#"add this statement to the key policy: `{"Sid": "Allow BYOK role to use the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}`"#
            )
        );
    }

    #[test]
    fn verified_through_the_iam_policy() {
        let iam = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}"#;
        let found = findings_with_iam(&policy(&[ROOT]), iam, "K003");
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("and the role's IAM policy, which allows them;"));
    }

    #[test]
    fn a_statement_missing_one_action_is_pointed_at() {
        let users = r#"{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}"#;
        let text = policy(&[ROOT, users]);
        let found = findings(&text, "K003", &Context::example());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with(
            "the key-users statement `Allow use of the key` names the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role` but not `kms:GenerateDataKey`: the role gets it only through"
        ));
        assert_eq!(found[0].line, 3);
        assert_eq!(
            found[0].help.as_deref(),
            Some("add `\"kms:GenerateDataKey\"` to the `Action` of the key-users statement `Allow use of the key`")
        );
        // Not an error as well.
        assert!(findings(&text, "K002", &Context::example()).is_empty());
    }
}
