//! The text as each of the three policy kinds with an empty context, and kind detection.
#![no_main]

use byokcheck_core::{check, detect_kind, Context, DocumentKind};
use byokcheck_fuzz::{assert_deterministic, check_report, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let context = Context::default();
    for kind in DocumentKind::POLICIES {
        let report = check(&text, kind, &context);
        assert_eq!(report.kind, kind);
        check_report(&text, &report);
        assert_deterministic(&report, &check(&text, kind, &context));
    }
    let detection = detect_kind(&text);
    assert!(detection.kind.is_policy(), "{detection:?}");
    assert!(!detection.reason.is_empty(), "{detection:?}");
    assert_deterministic(&detection, &detect_kind(&text));
});
