use crate::policy::{Checked, Effect, PrincipalKind};
use crate::rules::{declare_rule, Sink};

use super::access::{Byok, Scope, OUTSIDER};

declare_rule! {
    /// ## What it catches
    /// An Allow statement with `"Principal": "*"` or `{"AWS": "*"}` that a principal of an
    /// unrelated account (`arn:aws:iam::999988887777:role/Attacker`) can use, by evaluation.
    /// Only conditions that limit who calls or from where count (`aws:PrincipalAccount`,
    /// `kms:CallerAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`, `aws:SourceVpce`...):
    /// the caller chooses the encryption context, the service it calls through and its own
    /// tags. Access Analyzer reports such a key as public.
    ///
    /// ## Why it matters
    /// KMS's own guidance: "Do not set the Principal to an asterisk (*) in any key policy
    /// statement that allows permissions unless you use conditions". Anyone in any account can
    /// call the listed actions on your key. SecurityWarning: someone other than intended gets
    /// in.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": "*", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": "*", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BYOK_Role"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Name the BYOK role in `Principal`, or keep `"*"` and add a condition that limits it to
    /// your account or the role (`"StringEquals": {"kms:CallerAccount": "ACCOUNT_ID"}`,
    /// `"ArnEquals": {"aws:PrincipalArn": "ROLE_ARN"}`).
    pub(crate) static RULE = {
        code: "K005",
        name: "public-key-policy",
        severity: SecurityWarning,
        kinds: [Key],
        check: Some(check),
    };
}

/// How many actions a message lists before it counts the rest.
const LISTED: usize = 6;

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let scope = Scope::of(doc);
    let byok = Byok::new(doc);
    let all_kms = crate::catalog::actions()
        .filter(|a| a.name.starts_with("kms:"))
        .count();
    for statement in &scope.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        let Some(star) = principal
            .values()
            .find(|(kind, value)| *kind == Some(PrincipalKind::Aws) && value.value == "*")
            .map(|(_, value)| value)
        else {
            continue;
        };
        let actions = scope.public_actions(statement.index);
        if actions.is_empty() {
            continue;
        }
        let what = if actions.len() == all_kms {
            "every KMS action".to_string()
        } else if actions.len() > LISTED {
            format!(
                "{} and {} more actions",
                actions
                    .iter()
                    .take(LISTED)
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                actions.len() - LISTED
            )
        } else {
            super::code_list(&actions)
        };
        let limit = match scope.account.as_deref() {
            Some(account) => format!(
                "`\"Condition\": {{\"StringEquals\": {{\"kms:CallerAccount\": \"{account}\"}}}}`"
            ),
            None => "a condition on `kms:CallerAccount` or `aws:PrincipalArn`".to_string(),
        };
        let help = match &byok {
            Some(byok) => format!(
                "name the BYOK role instead: `\"Principal\": {{\"AWS\": \"{}\"}}`; or keep `\"*\"` and add {limit}",
                byok.arn
            ),
            None => format!("name the principals that should use the key, or keep `\"*\"` and add {limit}"),
        };
        sink.report(
            &RULE,
            star.span,
            format!(
                "{} lets `\"*\"` (any AWS principal, in any account, such as `{OUTSIDER}`) call {what} on the key: no condition limits it to your account or the BYOK role",
                scope.describe(statement.index)
            ),
            Some(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::key::tests::{findings, policy, ROOT};
    use crate::Context;

    fn star(principal: &str, condition: &str) -> String {
        format!(
            r#"{{"Sid": "Open", "Effect": "Allow", "Principal": {principal}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"{condition}}}"#
        )
    }

    #[test]
    fn the_star_among_other_principals_is_pointed_at() {
        let principals = r#"{"AWS": ["arn:aws:iam::111122223333:role/BYOK_Role", "*"]}"#;
        let text = policy(&[ROOT, &star(principals, "")]);
        let found = findings(&text, "K005", &Context::example());
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.start..found[0].span.end], "\"*\"");
    }

    #[test]
    fn principal_star_without_condition_is_public() {
        let text = policy(&[ROOT, &star(r#""*""#, "")]);
        let found = findings(&text, "K005", &Context::example());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "the key-users statement `Open` lets `\"*\"` (any AWS principal, in any account, such as `arn:aws:iam::999988887777:role/Attacker`) call `kms:Decrypt` and `kms:DescribeKey` on the key: no condition limits it to your account or the BYOK role"
        );
        assert_eq!(&text[f.span.start..f.span.end], "\"*\"");
        assert_eq!(f.line, 3);
        assert!(f
            .help
            .as_deref()
            .unwrap()
            .contains("kms:CallerAccount\": \"111122223333\""));
    }

    #[test]
    fn aws_star_with_only_conditions_the_caller_controls_is_public() {
        let condition = r#", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:app": "x"}}"#;
        let found = findings(
            &policy(&[ROOT, &star(r#"{"AWS": "*"}"#, condition)]),
            "K005",
            &Context::example(),
        );
        assert_eq!(found.len(), 1);
        let everything =
            r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}"#;
        let found = findings(&policy(&[ROOT, everything]), "K005", &Context::example());
        assert!(found[0]
            .message
            .contains("call every KMS action on the key"));
    }

    #[test]
    fn conditions_that_limit_the_caller_make_it_private() {
        for condition in [
            r#", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}"#,
            r#", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
            r#", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            r#", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
        ] {
            let text = policy(&[ROOT, &star(r#""*""#, condition)]);
            assert!(
                findings(&text, "K005", &Context::example()).is_empty(),
                "{condition}"
            );
        }
        // `IfExists` lets a caller without the key in: still public.
        let if_exists =
            r#", "Condition": {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#;
        assert_eq!(
            findings(
                &policy(&[ROOT, &star(r#""*""#, if_exists)]),
                "K005",
                &Context::example()
            )
            .len(),
            1
        );
    }

    #[test]
    fn each_statement_lists_only_the_actions_it_grants() {
        let encrypt = r#"{"Sid": "Also open", "Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}"#;
        let text = policy(&[ROOT, &star(r#""*""#, ""), encrypt]);
        let found = findings(&text, "K005", &Context::example());
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0]
                .message
                .contains("call `kms:Decrypt` and `kms:DescribeKey` on the key"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("call `kms:Encrypt` on the key"),
            "{}",
            found[1].message
        );
    }
}
