//! The BYOK trust-policy checks: only the vendor's service role, presenting the right External
//! ID, can assume the role. Decided by evaluation, then diagnosed per pitfall.
//!
//! [`analysis`] evaluates the requests (the vendor with the console's External ID, without it,
//! with other ids; everyone else with the right id) and names the cause of each outcome, so
//! that a generic rule never fires beside the specific rule that explains the same problem.
//! Each phase runs once per document, from the check of its generic rule, and reports every
//! rule's findings of the phase: T001 runs the vendor phase (T001, T002, T011, T020), T003 the
//! bypass phase (T003 to T010) and T012 the phase of other principals (T012 to T016); those
//! other rules have no check of their own, as the ARN rules are reported by `crate::arn`.
//! T017, T018, T019 and T021 have their own checks.

use crate::policy::Checked;
use crate::rules::{Rule, Sink};

mod analysis;

pub(crate) mod external_id_for_all_values;
pub(crate) mod external_id_if_exists;
pub(crate) mod external_id_key_misspelt;
pub(crate) mod external_id_mismatch;
pub(crate) mod external_id_negated_or_null;
pub(crate) mod external_id_not_required;
pub(crate) mod external_id_wildcard;
pub(crate) mod federated_principal;
pub(crate) mod invalid_external_id;
pub(crate) mod mfa_required;
pub(crate) mod missing_external_id_condition;
pub(crate) mod multiple_external_ids;
pub(crate) mod not_principal_allow;
pub(crate) mod other_principal_trusted;
pub(crate) mod principal_arn_wildcard;
pub(crate) mod public_trust;
pub(crate) mod session_principal_trusted;
pub(crate) mod session_tags_not_allowed;
pub(crate) mod unconditioned_second_statement;
pub(crate) mod vendor_account_trusted;
pub(crate) mod vendor_cannot_assume;

pub(crate) static RULES: &[&Rule] = &[
    &vendor_cannot_assume::RULE,
    &external_id_mismatch::RULE,
    &external_id_not_required::RULE,
    &missing_external_id_condition::RULE,
    &external_id_if_exists::RULE,
    &external_id_wildcard::RULE,
    &external_id_for_all_values::RULE,
    &external_id_negated_or_null::RULE,
    &multiple_external_ids::RULE,
    &unconditioned_second_statement::RULE,
    &external_id_key_misspelt::RULE,
    &public_trust::RULE,
    &vendor_account_trusted::RULE,
    &principal_arn_wildcard::RULE,
    &other_principal_trusted::RULE,
    &not_principal_allow::RULE,
    &invalid_external_id::RULE,
    &session_principal_trusted::RULE,
    &federated_principal::RULE,
    &mfa_required::RULE,
    &session_tags_not_allowed::RULE,
];

/// Runs one phase of the analysis and reports each problem under its own rule.
fn run(doc: &Checked<'_>, sink: &mut Sink, phase: analysis::Phase) {
    for problem in analysis::diagnose(doc, phase) {
        sink.report(problem.rule, problem.span, problem.message, problem.help);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::{Context, DocumentKind, Finding};

    pub(crate) const VENDOR: &str = "arn:aws:iam::358587034707:role/SegBots-Servers-Role";
    pub(crate) const ID: &str = "kore-7f3a9c2e-byok";

    /// A trust policy whose `Statement` array holds `statements`, one per line after line 3.
    pub(crate) fn policy(statements: &[String]) -> String {
        format!(
            "{{\n\"Version\": \"2012-10-17\",\n\"Statement\": [\n{}\n]\n}}",
            statements.join(",\n")
        )
    }

    /// The vendor's grant with `condition` (the JSON of the `Condition` object; empty for none).
    pub(crate) fn grant(condition: &str) -> String {
        statement(
            &format!("{{\"AWS\": \"{VENDOR}\"}}"),
            "\"sts:AssumeRole\"",
            condition,
        )
    }

    /// An Allow statement of `principal` and `action` (JSON values) with `condition`.
    pub(crate) fn statement(principal: &str, action: &str, condition: &str) -> String {
        let condition = if condition.is_empty() {
            String::new()
        } else {
            format!(", \"Condition\": {condition}")
        };
        format!(
            "{{\"Effect\": \"Allow\", \"Principal\": {principal}, \"Action\": {action}{condition}}}"
        )
    }

    /// `{"StringEquals": {"sts:ExternalId": "<console id>"}}`.
    pub(crate) fn right_id() -> String {
        format!("{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}")
    }

    /// The trust-rule findings for `text`, checked with `context`.
    pub(crate) fn findings_with(text: &str, context: &Context) -> Vec<Finding> {
        crate::check(text, DocumentKind::Trust, context)
            .findings
            .into_iter()
            .filter(|f| f.code.starts_with('T'))
            .collect()
    }

    /// The trust-rule findings for `text`, checked with [`Context::example`].
    pub(crate) fn findings(text: &str) -> Vec<Finding> {
        findings_with(text, &Context::example())
    }

    /// The distinct trust-rule codes that fire on `text`, sorted.
    pub(crate) fn codes(text: &str) -> Vec<String> {
        let mut codes: Vec<String> = findings(text).into_iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// The one finding of `code` for `text`.
    pub(crate) fn only(text: &str, code: &str) -> Finding {
        let found: Vec<Finding> = findings(text)
            .into_iter()
            .filter(|f| f.code == code)
            .collect();
        assert_eq!(found.len(), 1, "{code} on {text}: {found:#?}");
        found.into_iter().next().unwrap()
    }

    /// The text under a finding's span.
    pub(crate) fn under<'t>(text: &'t str, finding: &Finding) -> &'t str {
        &text[finding.span.start..finding.span.end]
    }

    /// The text under each finding of `code` for `text`, in order.
    pub(crate) fn spans<'t>(text: &'t str, code: &str) -> Vec<&'t str> {
        findings(text)
            .iter()
            .filter(|f| f.code == code)
            .map(|f| under(text, f))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use crate::{Context, DocumentKind};

    const EXAMPLES: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/kore-ai-correct"
    );

    #[test]
    fn the_correct_setup_gets_no_trust_finding() {
        let context = Context::example();
        for (file, kind) in [
            ("trust-policy.json", DocumentKind::Trust),
            ("iam-policy.json", DocumentKind::Iam),
            ("key-policy.json", DocumentKind::Key),
        ] {
            let text = std::fs::read_to_string(format!("{EXAMPLES}/{file}")).unwrap();
            let report = crate::check(&text, kind, &context);
            let trust: Vec<_> = report
                .findings
                .iter()
                .filter(|f| super::RULES.iter().any(|r| r.meta.code == f.code))
                .collect();
            assert!(trust.is_empty(), "{file}: {trust:#?}");
        }
    }

    #[test]
    fn a_lower_case_key_is_the_same_key() {
        // P13: condition keys are case-insensitive, so `sts:externalid` is `sts:ExternalId`.
        for key in ["sts:externalid", "STS:EXTERNALID", "sts:ExternalID"] {
            let text = policy(&[grant(&format!(
                "{{\"StringEquals\": {{\"{key}\": \"{ID}\"}}}}"
            ))]);
            assert_eq!(codes(&text), Vec::<String>::new(), "{key}");
        }
    }

    #[test]
    fn nothing_is_checked_without_the_vendor_or_the_external_id() {
        let text = policy(&[grant("")]);
        for context in [
            Context {
                external_id: None,
                ..Context::example()
            },
            Context {
                instance: None,
                ..Context::example()
            },
        ] {
            assert_eq!(
                findings_with(&text, &context)
                    .iter()
                    .map(|f| f.code.as_str())
                    .collect::<Vec<_>>(),
                Vec::<&str>::new()
            );
        }
    }

    /// Every bypass of issue 3's trust section, with exactly the trust codes that fire.
    #[test]
    fn every_bypass_is_caught_under_its_own_name() {
        let account_root = "\"arn:aws:iam::358587034707:root\"";
        let cases: Vec<(&str, String, &[&str])> = vec![
            ("missing condition", policy(&[grant("")]), &["T004"]),
            (
                "StringEqualsIfExists",
                policy(&[grant(&format!(
                    "{{\"StringEqualsIfExists\": {{\"sts:ExternalId\": \"{ID}\"}}}}"
                ))]),
                &["T005"],
            ),
            (
                "StringLike with a wildcard",
                policy(&[grant(
                    "{\"StringLike\": {\"sts:ExternalId\": \"kore-*\"}}",
                )]),
                &["T006"],
            ),
            (
                "StringLike with only a wildcard",
                policy(&[grant("{\"StringLike\": {\"sts:ExternalId\": \"*\"}}")]),
                &["T006"],
            ),
            (
                "ForAllValues",
                policy(&[grant(&format!(
                    "{{\"ForAllValues:StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}}}"
                ))]),
                &["T007"],
            ),
            (
                "Null only",
                policy(&[grant("{\"Null\": {\"sts:ExternalId\": \"false\"}}")]),
                &["T008"],
            ),
            (
                "negated",
                policy(&[grant(
                    "{\"StringNotEquals\": {\"sts:ExternalId\": \"tenant-0001\"}}",
                )]),
                &["T008"],
            ),
            (
                "negated like",
                policy(&[grant(
                    "{\"StringNotLike\": {\"sts:ExternalId\": \"tenant-*\"}}",
                )]),
                &["T008"],
            ),
            (
                "a second accepted value",
                policy(&[grant(&format!(
                    "{{\"StringEquals\": {{\"sts:ExternalId\": [\"{ID}\", \"kore-00aa11bb-byok\"]}}}}"
                ))]),
                &["T009"],
            ),
            (
                "a second Allow statement without the condition",
                policy(&[grant(&right_id()), grant("")]),
                &["T010"],
            ),
            (
                "a second statement allowing sts:*",
                policy(&[
                    grant(&right_id()),
                    statement(&format!("{{\"AWS\": \"{VENDOR}\"}}"), "\"sts:*\"", ""),
                ]),
                &["T010"],
            ),
            (
                "a second statement allowing everything but IAM",
                policy(&[
                    grant(&right_id()),
                    format!(
                        "{{\"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"{VENDOR}\"}}, \"NotAction\": \"iam:*\"}}"
                    ),
                ]),
                &["T010"],
            ),
            (
                "misspelt key namespace",
                policy(&[grant(&format!(
                    "{{\"StringEquals\": {{\"aws:ExternalId\": \"{ID}\"}}}}"
                ))]),
                &["T011"],
            ),
            (
                "misspelt key under a negated operator",
                policy(&[grant(
                    "{\"StringNotEquals\": {\"sts:ExternalIds\": \"tenant-0001\"}}",
                )]),
                &["T008"],
            ),
            (
                "another account",
                policy(&[statement(
                    &format!("{{\"AWS\": [\"{VENDOR}\", \"arn:aws:iam::444455556666:root\"]}}"),
                    "\"sts:AssumeRole\"",
                    &right_id(),
                )]),
                &["T015"],
            ),
            (
                "public",
                policy(&[statement("\"*\"", "\"sts:AssumeRole\"", &right_id())]),
                &["T012"],
            ),
            (
                "public AWS",
                policy(&[statement(
                    "{\"AWS\": \"*\"}",
                    "\"sts:AssumeRole\"",
                    &right_id(),
                )]),
                &["T012"],
            ),
            (
                "a wildcard role",
                policy(&[statement(
                    "{\"AWS\": \"358587034707\"}",
                    "\"sts:AssumeRole\"",
                    &format!(
                        "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"ArnLike\": {{\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/*\"}}}}"
                    ),
                )]),
                &["T014"],
            ),
            (
                "the vendor's account root",
                policy(&[statement(
                    &format!("{{\"AWS\": {account_root}}}"),
                    "\"sts:AssumeRole\"",
                    &right_id(),
                )]),
                &["T013"],
            ),
            (
                "the vendor's bare account id",
                policy(&[statement(
                    "{\"AWS\": \"358587034707\"}",
                    "\"sts:AssumeRole\"",
                    &right_id(),
                )]),
                &["T013"],
            ),
            (
                "NotPrincipal with Allow",
                policy(&[format!(
                    "{{\"Effect\": \"Allow\", \"NotPrincipal\": {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, \"Action\": \"sts:AssumeRole\", \"Condition\": {}}}",
                    right_id()
                )]),
                &["T016"],
            ),
            (
                "an External ID with trailing white space",
                policy(&[grant(&format!(
                    "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID} \"}}}}"
                ))]),
                &["T002"],
            ),
            (
                "an External ID of another case",
                policy(&[grant(
                    "{\"StringEquals\": {\"sts:ExternalId\": \"KORE-7f3a9c2e-byok\"}}",
                )]),
                &["T002"],
            ),
            (
                "an External ID one character off",
                policy(&[grant(
                    "{\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2f-byok\"}}",
                )]),
                &["T002"],
            ),
        ];
        for (name, text, expected) in cases {
            assert_eq!(codes(&text), expected.to_vec(), "{name}: {text}");
        }
    }
}
