//! The BYOK key-policy checks: the key stays manageable, the BYOK role can use it, and no one
//! else can.
//!
//! Every check decides by evaluating requests against the key policy (`access.rs`), and names
//! statements by the part they play in the console's layout (`layout.rs`).

mod access;
pub(crate) use access::KeyMemo;
mod layout;

mod encryption_context_required;
mod explicit_deny_blocks_role;
mod grant_without_aws_resource_condition;
mod key_policy_lockout;
mod key_use_only_via_iam;
mod missing_root_statement;
mod network_condition;
mod others_can_use_key;
mod public_key_policy;
mod resource_not_this_key;
mod role_can_manage_key;
mod role_cannot_use_key;
mod session_principal;

use crate::generate::BYOK_ACTIONS;
use crate::policy::Checked;
use crate::rules::Rule;
use crate::source::Span;

pub(crate) static RULES: &[&Rule] = &[
    &key_policy_lockout::RULE,
    &role_cannot_use_key::RULE,
    &key_use_only_via_iam::RULE,
    &explicit_deny_blocks_role::RULE,
    &public_key_policy::RULE,
    &resource_not_this_key::RULE,
    &session_principal::RULE,
    &others_can_use_key::RULE,
    &role_can_manage_key::RULE,
    &missing_root_statement::RULE,
    &grant_without_aws_resource_condition::RULE,
    &encryption_context_required::RULE,
    &network_condition::RULE,
    // K014 (a unique id as principal) is `principal-unique-id` (G022).
];

/// `a`, `b` and `c` (`conjunction` before the last item).
fn join<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} {conjunction} {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// Action names in backticks: `` `kms:Encrypt` and `kms:Decrypt` ``.
fn code_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    join(&quoted, "and")
}

/// The statement step 4 of the setup guide adds for the role.
fn role_statement_json(role: &str) -> String {
    let actions: Vec<String> = BYOK_ACTIONS.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "{{\"Sid\": \"Allow BYOK role to use the key\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"{role}\"}}, \"Action\": [{}], \"Resource\": \"*\"}}",
        actions.join(", ")
    )
}

/// The account-root statement the KMS console writes first.
fn root_statement_json(root: &str) -> String {
    format!(
        "{{\"Sid\": \"Enable IAM User Permissions\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"{root}\"}}, \"Action\": \"kms:*\", \"Resource\": \"*\"}}"
    )
}

/// Where a finding about the policy as a whole points: its `Statement` key.
fn statements_span(doc: &Checked<'_>) -> Span {
    doc.policy.statement_key.unwrap_or(doc.policy.span)
}

#[cfg(test)]
pub(super) mod tests {
    use crate::setup::{verify_setup, SetupInput};
    use crate::{Context, DocumentKind, Finding};

    /// The console's account-root statement for the example account.
    pub(crate) const ROOT: &str = r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#;
    /// The console's key-users statement for the example role, with the four actions.
    pub(crate) const USERS: &str = r#"{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}"#;

    /// A key policy with one statement per line, from line 2.
    pub(crate) fn policy(statements: &[&str]) -> String {
        format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
            statements.join(",\n")
        )
    }

    pub(crate) fn findings(text: &str, code: &str, context: &Context) -> Vec<Finding> {
        crate::check(text, DocumentKind::Key, context)
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    /// The key policy's findings when verified with `iam` as the role's IAM policy.
    pub(crate) fn findings_with_iam(key: &str, iam: &str, code: &str) -> Vec<Finding> {
        let report = verify_setup(&SetupInput {
            context: Context::example(),
            iam_policy: Some(iam.to_string()),
            key_policy: Some(key.to_string()),
            ..SetupInput::default()
        });
        report
            .documents
            .into_iter()
            .find(|d| d.name == "key_policy")
            .map(|d| d.findings)
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    fn key_findings(text: &str, context: &Context) -> Vec<Finding> {
        crate::check(text, DocumentKind::Key, context)
            .findings
            .into_iter()
            .filter(|f| f.code.starts_with('K'))
            .collect()
    }

    #[test]
    fn the_correct_example_gets_no_key_finding() {
        let key = include_str!("../../../../tests/fixtures/kore-ai-correct/key-policy.json");
        assert_eq!(key_findings(key, &Context::example()), vec![]);
        let iam = include_str!("../../../../tests/fixtures/kore-ai-correct/iam-policy.json");
        let trust = include_str!("../../../../tests/fixtures/kore-ai-correct/trust-policy.json");
        let report = verify_setup(&SetupInput {
            context: Context::example(),
            iam_policy: Some(iam.to_string()),
            trust_policy: Some(trust.to_string()),
            key_policy: Some(key.to_string()),
            policy_attached: None,
        });
        for document in report.documents {
            let ours: Vec<&Finding> = document
                .findings
                .iter()
                .filter(|f| f.code.starts_with('K'))
                .collect();
            assert!(ours.is_empty(), "{}: {ours:#?}", document.name);
        }
    }

    #[test]
    fn the_correct_example_is_clean_with_any_part_of_the_context() {
        let key = include_str!("../../../../tests/fixtures/kore-ai-correct/key-policy.json");
        for context in [
            Context::default(),
            Context {
                cmk_arn: None,
                ..Context::example()
            },
            Context {
                role_arn: None,
                ..Context::example()
            },
        ] {
            assert_eq!(key_findings(key, &context), vec![], "{context:?}");
        }
    }

    #[test]
    fn a_star_statement_for_the_customers_organization_grants_the_role() {
        let org = r#"{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": "*", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#;
        let admin = r#"{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/KMSAdminRole"}, "Action": "kms:Put*", "Resource": "*"}"#;
        let found = key_findings(&policy(&[admin, org]), &Context::example());
        let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
        // Only the missing root statement: the role is granted, and the key is not public.
        assert_eq!(codes, ["K010"]);
    }

    #[test]
    fn other_partitions_work() {
        let text = super::tests::policy(&[
            &ROOT.replace("arn:aws:", "arn:aws-cn:"),
            &USERS.replace("arn:aws:", "arn:aws-cn:"),
        ]);
        let context = Context {
            role_arn: Some("arn:aws-cn:iam::111122223333:role/BYOK_Role".into()),
            cmk_arn: Some(
                "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    .into(),
            ),
            ..Context::example()
        };
        assert_eq!(key_findings(&text, &context), vec![]);
    }

    #[test]
    fn helpers_write_lists_and_statements() {
        assert_eq!(super::join(&["a"], "and"), "a");
        assert_eq!(super::join(&["a", "b", "c"], "or"), "a, b or c");
        assert_eq!(
            super::code_list(&["kms:Encrypt", "kms:Decrypt"]),
            "`kms:Encrypt` and `kms:Decrypt`"
        );
        let statement: serde_json::Value = serde_json::from_str(&super::role_statement_json(
            "arn:aws:iam::111122223333:role/BYOK_Role",
        ))
        .unwrap();
        assert_eq!(statement["Action"].as_array().unwrap().len(), 4);
        let root: serde_json::Value = serde_json::from_str(&super::root_statement_json(
            "arn:aws:iam::111122223333:root",
        ))
        .unwrap();
        assert_eq!(root["Principal"]["AWS"], "arn:aws:iam::111122223333:root");
    }
}
