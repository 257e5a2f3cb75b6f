use crate::eval::{principal_matches, PrincipalMatch, PrincipalRef};
use crate::policy::{Checked, PrincipalKind};
use crate::rules::{declare_rule, Sink};

use super::access::{named_principals, other_context, Byok, Scope, CRYPTO_ACTIONS};
use super::layout::root_account;

declare_rule! {
    /// ## What it catches
    /// A principal named in the key policy, other than the key's account root, a key
    /// administrator (a principal that can call `kms:PutKeyPolicy`) and the BYOK role, that
    /// can use the key for cryptography (`kms:Encrypt`, `kms:Decrypt`, `kms:ReEncrypt*`,
    /// `kms:GenerateDataKey*`, `kms:Sign`...), by evaluation: another account, another role or
    /// user, or the vendor's own service role named directly. `"*"` is `public-key-policy`'s
    /// and `NotPrincipal` is `allow-with-not-principal`'s.
    ///
    /// ## Why it matters
    /// The BYOK key protects the data you entrust to the vendor; whoever else can use it can
    /// decrypt that data or encrypt under your key. The vendor's service role named directly
    /// reaches the key without assuming the BYOK role, so without the External ID check.
    /// SecurityWarning: someone other than intended can use the key.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/BYOK_Role", "arn:aws:iam::444455556666:root"]}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the principal from the statement; use a separate key for other uses. The vendor
    /// reaches the key through the BYOK role only.
    pub(crate) static RULE = {
        code: "K008",
        name: "others-can-use-key",
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
    let vendor = doc.context.vendor_role_arn();
    let vendor_account = vendor.map(|v| PrincipalRef::from_arn(v).account);
    let mut seen: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for (_, value, caller) in named_principals(scope) {
        if seen.contains(&caller) {
            continue;
        }
        seen.push(caller.clone());
        let own_root = root_account(value.value).is_some()
            && root_account(value.value) == scope.account.as_deref();
        // An administrator is named with `kms:PutKeyPolicy`; the account-root statement makes
        // every principal of the account one only if IAM agrees, which is not this rule's call.
        // Only a principal of the key's account can change its policy.
        let manages = || {
            let evaluation = scope.manage_evaluation(&caller);
            evaluation.is_allowed()
                && !evaluation.principal_matched_by_account
                && scope.account.as_deref() == Some(PrincipalRef::from_arn(&caller).account)
        };
        if own_root || caller == byok.arn || byok.is_session(&caller) || manages() {
            continue;
        }
        let principal = PrincipalRef::from_arn(&caller);
        let context = other_context(&caller);
        // Only statements whose principal is this caller's can apply to it, whatever the
        // action: found once, not once per action (a key policy naming hundreds of principals
        // made this rule quadratic times the actions).
        let theirs: Vec<usize> = scope
            .policy
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.principal
                    .as_ref()
                    .is_some_and(|p| principal_matches(p, Some(&principal)).is_some())
            })
            .map(|(at, _)| at)
            .collect();
        let mut actions: Vec<&str> = Vec::new();
        let mut through: Option<usize> = None;
        for action in CRYPTO_ACTIONS {
            let evaluation = scope.evaluate_among(&theirs, action, &caller, &context);
            if !evaluation.is_allowed() {
                continue;
            }
            // Statements that name this principal or its (other) account: `"*"` statements are
            // `public-key-policy`'s, and the account-root statement is intended.
            let naming = evaluation.allowed_by.iter().copied().find(|&i| {
                let matched = scope
                    .statement(i)
                    .and_then(|s| s.principal.as_ref())
                    .and_then(|p| principal_matches(p, Some(&principal)));
                match matched {
                    Some(PrincipalMatch::Exact) => true,
                    Some(PrincipalMatch::Account) => {
                        scope.account.as_deref() != Some(principal.account)
                    }
                    _ => false,
                }
            });
            if let Some(index) = naming {
                actions.push(action);
                through = through.or(Some(index));
            }
        }
        let Some(index) = through else {
            continue;
        };
        let span = scope
            .statement(index)
            .and_then(|s| s.principal.as_ref())
            .and_then(|p| {
                p.values()
                    .find(|(kind, v)| *kind == Some(PrincipalKind::Aws) && v.value == value.value)
                    .map(|(_, v)| v.span)
            })
            .unwrap_or(value.span);
        let name = scope.describe(index);
        let listed = if actions.len() == CRYPTO_ACTIONS.len() {
            "every cryptographic operation (`kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey`...)"
                .to_string()
        } else {
            super::code_list(&actions)
        };
        let other_account = root_account(value.value);
        let message = if Some(caller.as_ref()) == vendor {
            format!(
                "the vendor's service role `{caller}` can call {listed} on the key directly, through {name}, without assuming the BYOK role or presenting the External ID"
            )
        } else if let Some(account) = other_account {
            if Some(account) == vendor_account {
                format!(
                    "the vendor's account `{account}` (every principal in it that its IAM policies allow) can call {listed} on the key through {name}, without assuming the BYOK role or presenting the External ID"
                )
            } else {
                format!(
                    "account `{account}` (every principal in it that its own IAM policies allow) can call {listed} on the key through {name}: only the BYOK role should use it"
                )
            }
        } else {
            format!(
                "`{caller}` can call {listed} on the key through {name}: only the BYOK role should use it"
            )
        };
        let help = if vendor_account == Some(principal.account) {
            format!(
                "remove `{}` from the `Principal` of {name}: the vendor reaches the key through the BYOK role `{}`",
                value.value, byok.arn
            )
        } else {
            format!("remove `{}` from the `Principal` of {name}", value.value)
        };
        sink.report(&RULE, span, message, Some(help));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT};
    use crate::Context;

    fn users(principals: &str) -> String {
        format!(
            r#"{{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {{"AWS": {principals}}}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}}"#
        )
    }

    #[test]
    fn another_account_is_named_with_what_it_can_do() {
        let text = policy(&[
            ROOT,
            &users(r#"["arn:aws:iam::111122223333:role/BYOK_Role", "444455556666"]"#),
        ]);
        let found = findings(&text, "K008", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "account `444455556666` (every principal in it that its own IAM policies allow) can call `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` on the key through the key-users statement `Allow use of the key`: only the BYOK role should use it"
        );
        assert_eq!(&text[f.span.start..f.span.end], "\"444455556666\"");
        assert_eq!(
            f.help.as_deref(),
            Some("remove `444455556666` from the `Principal` of the key-users statement `Allow use of the key`")
        );
    }

    #[test]
    fn conditions_an_outsiders_direct_call_meets_do_not_stop_it() {
        let conditioned = users(r#""444455556666""#).replace(
            r#""Resource": "*"}"#,
            r#""Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "444455556666"}, "Bool": {"aws:SecureTransport": "true"}}}"#,
        );
        let found = findings(&policy(&[ROOT, &conditioned]), "K008", &Context::example());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.starts_with("account `444455556666`"));
    }

    #[test]
    fn a_principal_pattern_names_no_one_to_evaluate() {
        // IAM matches no principal by a partial wildcard; another rule says so.
        let text = policy(&[ROOT, &users(r#""arn:aws:iam::444455556666:role/*""#)]);
        assert!(findings(&text, "K008", &Context::example()).is_empty());
        // Nor is a federated provider's ARN an `AWS` principal, even in an account that can.
        let federated = r#"{"Sid": "Web", "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::444455556666:saml-provider/Corp"}, "Action": "kms:Decrypt", "Resource": "*"}"#;
        let text = policy(&[ROOT, &users(r#""444455556666""#), federated]);
        let found = findings(&text, "K008", &Context::example());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.starts_with("account `444455556666`"));
    }

    #[test]
    fn the_vendors_own_role_bypasses_the_external_id() {
        let text = policy(&[
            ROOT,
            &users(
                r#"["arn:aws:iam::111122223333:role/BYOK_Role", "arn:aws:iam::358587034707:role/SegBots-Servers-Role"]"#,
            ),
        ]);
        let found = findings(&text, "K008", &Context::example());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with(
            "the vendor's service role `arn:aws:iam::358587034707:role/SegBots-Servers-Role` can call `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` on the key directly, through the key-users statement `Allow use of the key`, without assuming the BYOK role or presenting the External ID"
        ));
        assert!(found[0].help.as_deref().unwrap().ends_with(
            "the vendor reaches the key through the BYOK role `arn:aws:iam::111122223333:role/BYOK_Role`"
        ));
    }

    #[test]
    fn an_administrator_of_another_account_can_still_use_the_key() {
        let foreign = r#"{"Sid": "Foreign", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Admin"}, "Action": "kms:*", "Resource": "*"}"#;
        let text = policy(&[
            ROOT,
            &users(r#""arn:aws:iam::111122223333:role/BYOK_Role""#),
            foreign,
        ]);
        let found = findings(&text, "K008", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`arn:aws:iam::444455556666:role/Admin` can call every cryptographic operation (`kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey`...) on the key through the key-administrators statement `Foreign`: only the BYOK role should use it"
        );
    }

    #[test]
    fn root_administrators_and_the_role_are_intended() {
        let admin = r#"{"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": "kms:*", "Resource": "*"}"#;
        let text = policy(&[
            ROOT,
            admin,
            &users(r#"["arn:aws:iam::111122223333:role/BYOK_Role", "111122223333"]"#),
        ]);
        assert!(findings(&text, "K008", &Context::example()).is_empty());
        // Another role of the same account is not.
        let text = policy(&[
            ROOT,
            &users(
                r#"["arn:aws:iam::111122223333:role/BYOK_Role", "arn:aws:iam::111122223333:role/Reports"]"#,
            ),
        ]);
        let found = findings(&text, "K008", &Context::example());
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .starts_with("`arn:aws:iam::111122223333:role/Reports` can call"));
    }

    #[test]
    fn the_span_is_in_the_statement_that_grants_the_use() {
        // The account is named first in a statement that grants no cryptographic operation:
        // the finding points at its name in the statement that does.
        let describe = r#"{"Sid": "Describe", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "kms:DescribeKey", "Resource": "*"}"#;
        let text = policy(&[
            ROOT,
            describe,
            &users(r#"["arn:aws:iam::111122223333:role/BYOK_Role", "444455556666"]"#),
        ]);
        let found = findings(&text, "K008", &Context::example());
        assert_eq!(found.len(), 1, "{found:#?}");
        let users_at = text.find("Allow use of the key").unwrap();
        assert!(found[0].span.start > users_at, "{found:#?}");
        assert_eq!(
            &text[found[0].span.start..found[0].span.end],
            "\"444455556666\""
        );
    }
}
