//! The BYOK IAM-policy checks: the role can do the four KMS actions on the CMK, and no more
//! than it should.
//!
//! Every check evaluates the vendor's calls through the role (see [`analysis`]) and then says
//! why a call fails or what else is allowed. One problem, one finding: `missing-kms-action`
//! stays silent for an action that an alias ARN, another key's ARN or a blocking condition
//! explains, since their own rules report it.

mod alias_in_resource;
mod analysis;
mod condition_blocks_vendor;
mod destructive_kms_action;
mod missing_kms_action;
mod non_kms_actions;
mod overbroad_kms_grant;
mod resource_wildcard;
mod wrong_key_in_resource;

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &missing_kms_action::RULE,
    &resource_wildcard::RULE,
    &alias_in_resource::RULE,
    &wrong_key_in_resource::RULE,
    &overbroad_kms_grant::RULE,
    &destructive_kms_action::RULE,
    &non_kms_actions::RULE,
    &condition_blocks_vendor::RULE,
];

#[cfg(test)]
mod tests {
    use crate::{check, Context, DocumentKind};

    #[test]
    fn the_correct_kore_ai_policy_gets_no_finding_from_these_rules() {
        let text = include_str!("../../../../tests/fixtures/kore-ai-correct/iam-policy.json");
        let report = check(text, DocumentKind::Iam, &Context::example());
        let ours: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.code.starts_with('I'))
            .collect();
        assert!(ours.is_empty(), "{ours:#?}");
    }

    #[test]
    fn the_guides_first_form_gets_only_the_wildcard_warning() {
        // The setup guide writes the policy before the key exists, with `"Resource": "*"`.
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}"#;
        let report = check(text, DocumentKind::Iam, &Context::example());
        let codes: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.code.starts_with('I'))
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(codes, vec!["I002"]);
    }

    #[test]
    fn nothing_is_checked_without_the_cmk_arn() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}"#;
        let mut context = Context::example();
        context.cmk_arn = None;
        let report = check(text, DocumentKind::Iam, &context);
        assert!(report.has("C001"));
        assert!(!report.findings.iter().any(|f| f.code.starts_with('I')));
    }
}
