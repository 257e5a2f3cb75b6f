//! The text as a IAM identity policy against the full example context.
#![no_main]

use byokcheck_core::{check, Context, DocumentKind};
use byokcheck_fuzz::{assert_deterministic, check_report, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let context = Context::example();
    let report = check(&text, DocumentKind::Iam, &context);
    assert_eq!(report.kind, DocumentKind::Iam);
    check_report(&text, &report);
    assert_deterministic(&report, &check(&text, DocumentKind::Iam, &context));
});
