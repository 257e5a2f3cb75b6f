//! Pins the registry: every rule is documented, and its own examples prove its check.

use std::collections::HashSet;

use crate::context::Context;
use crate::rules::all;

const SECTIONS: [&str; 5] = [
    "## What it catches",
    "## Why it matters",
    "## Bad",
    "## Good",
    "## How to fix",
];

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in all() {
        let meta = &rule.meta;
        assert!(codes.insert(meta.code), "code {} is used twice", meta.code);
        assert!(names.insert(meta.name), "name {} is used twice", meta.name);
        assert!(
            meta.name.split('-').all(|part| !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{} is not kebab-case",
            meta.name
        );
        let (letter, digits) = meta.code.split_at(1);
        assert!(
            letter.chars().all(|c| c.is_ascii_uppercase()) && digits.len() == 3,
            "{} is not like G001",
            meta.code
        );
        assert!(
            !meta.kinds.is_empty(),
            "{} applies to no document kind",
            meta.code
        );
    }
}

#[test]
fn every_rule_has_every_doc_section() {
    for rule in all() {
        let docs = rule.meta.docs();
        for section in SECTIONS {
            assert!(
                docs.contains(section),
                "{} lacks `{section}`",
                rule.meta.code
            );
        }
        assert!(
            rule.meta.example("Bad").is_some(),
            "{} has no Bad example block",
            rule.meta.code
        );
        assert!(
            rule.meta.example("Good").is_some(),
            "{} has no Good example block",
            rule.meta.code
        );
    }
}

/// Rules whose Bad example cannot be written in a doc comment (a 256 KiB document).
const BAD_EXAMPLE_BUILT_IN_TESTS: [&str; 3] = [
    "document-too-large",
    "policy-size-over-quota",
    "key-policy-too-large",
];

#[test]
fn bad_example_triggers_and_good_example_does_not() {
    let context = Context::example();
    for rule in all() {
        let meta = &rule.meta;
        let kind = meta.kinds[0];
        let good = meta.example("Good").unwrap();
        let report = crate::check(&good, kind, &context);
        assert!(
            !report.has(meta.code),
            "{} ({}) fires on its own Good example: {:#?}",
            meta.code,
            meta.name,
            report.findings
        );
        if BAD_EXAMPLE_BUILT_IN_TESTS.contains(&meta.name) {
            continue;
        }
        let bad = meta.example("Bad").unwrap();
        let report = crate::check(&bad, kind, &meta.bad_example_context());
        assert!(
            report.has(meta.code),
            "{} ({}) does not fire on its own Bad example; got {:#?}",
            meta.code,
            meta.name,
            report.findings
        );
    }
}

#[test]
fn document_too_large_fires_over_the_limit() {
    let padding = " ".repeat(crate::MAX_DOCUMENT_BYTES);
    let text = format!("{{\"Version\": \"2012-10-17\",{padding}\"Statement\": []}}");
    let report = crate::check(&text, crate::DocumentKind::Iam, &Context::default());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].name, "document-too-large");
}

#[test]
fn a_rule_debugs_as_its_metadata() {
    for rule in all() {
        let text = format!("{rule:?}");
        assert!(text.starts_with("Rule { meta: "), "{text}");
        assert!(text.contains(rule.meta.code), "{text}");
    }
}
