//! The text as a pasted ARN: detected, and as each ARN kind.
#![no_main]

use byokcheck_core::{check_arn, DocumentKind};
use byokcheck_fuzz::{assert_deterministic, check_report, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    for as_kind in [
        None,
        Some(DocumentKind::RoleArn),
        Some(DocumentKind::KeyArn),
    ] {
        let report = check_arn(&text, as_kind);
        assert!(
            matches!(report.kind, DocumentKind::RoleArn | DocumentKind::KeyArn),
            "{report:?}"
        );
        if let Some(kind) = as_kind {
            assert_eq!(report.kind, kind);
        }
        check_report(&text, &report);
        assert_deterministic(&report, &check_arn(&text, as_kind));
    }
});
