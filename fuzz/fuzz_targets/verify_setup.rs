//! The whole setup: the input split on NUL bytes into the IAM policy, the trust policy and the
//! key policy (a missing part is a document not given), with the full example context.
#![no_main]

use byokcheck_core::{verify_setup, Context, SetupInput};
use byokcheck_fuzz::{assert_deterministic, check_findings, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = split(data, 0, 3).into_iter();
    let input = SetupInput {
        context: Context::example(),
        iam_policy: parts.next().flatten(),
        trust_policy: parts.next().flatten(),
        key_policy: parts.next().flatten(),
        policy_attached: None,
    };
    let report = verify_setup(&input);
    for document in &report.documents {
        let text = match document.name.as_str() {
            "iam_policy" => input.iam_policy.as_deref(),
            "trust_policy" => input.trust_policy.as_deref(),
            "key_policy" => input.key_policy.as_deref(),
            "role_arn" => input.context.role_arn.as_deref(),
            "cmk_arn" => input.context.cmk_arn.as_deref(),
            other => panic!("unknown document `{other}`"),
        };
        let text = text.unwrap_or_else(|| panic!("`{}` was not given", document.name));
        check_findings(text, &document.findings);
    }
    // An item's findings are copies of its documents' findings.
    for item in &report.items {
        for finding in &item.findings {
            assert!(
                report
                    .documents
                    .iter()
                    .any(|d| d.findings.contains(finding)),
                "an item finding is in no document: {finding:#?}"
            );
        }
    }
    assert_eq!(report.items.len(), byokcheck_core::ItemId::ALL.len());
    assert_deterministic(&report, &verify_setup(&input));
});
