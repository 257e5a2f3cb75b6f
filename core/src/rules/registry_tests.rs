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

/// `rule`'s check by itself, ungated, on `text` as `kind`: the document's features and how
/// many findings the check made. `None` when the text is no policy.
fn run_alone(
    rule: &crate::rules::Rule,
    text: &str,
    kind: crate::DocumentKind,
    context: &Context,
) -> Option<(crate::rules::Features, usize)> {
    crate::json::with_arena(text, |arena| {
        let mut sink = crate::rules::Sink::default();
        let json = crate::json::parse(text, arena, &mut sink)?;
        let policy = crate::policy::parse_policy(&json, &mut sink)?;
        let checked = crate::policy::Checked {
            text,
            kind,
            policy: &policy,
            context,
            others: crate::policy::Others::default(),
            memo: crate::rules::Memo::new(&json, &policy),
        };
        let before = sink.raw.len();
        (rule.check?)(&checked, &mut sink);
        Some((checked.memo.features, sink.raw.len() - before))
    })
}

/// A rule that declares what it needs finds nothing, run ungated, on any document without it
/// (every rule's examples, as every kind the rule takes, with and without a context); and
/// each such rule's own Bad example has what it needs (else the gate would hide it).
#[test]
fn a_rule_finds_nothing_without_what_it_needs() {
    let documents: Vec<String> = all()
        .flat_map(|r| [r.meta.example("Good"), r.meta.example("Bad")])
        .flatten()
        .collect();
    let contexts = [Context::default(), Context::example()];
    let gated: Vec<_> = all().filter(|r| r.needs.is_some()).collect();
    assert!(gated.len() >= 15, "only {} gated rules", gated.len());
    let mut without = 0;
    for rule in gated {
        let Some(needs) = rule.needs else { continue };
        for text in &documents {
            for &kind in rule.meta.kinds {
                for context in &contexts {
                    let Some((features, found)) = run_alone(rule, text, kind, context) else {
                        continue;
                    };
                    if !features.meets(needs) {
                        without += 1;
                        assert_eq!(
                            found, 0,
                            "{} ({:?}) finds something without it in {text}",
                            rule.meta.code, needs
                        );
                    }
                }
            }
        }
        let bad = rule.meta.example("Bad").unwrap();
        let (features, _) = run_alone(rule, &bad, rule.meta.kinds[0], &Context::example()).unwrap();
        assert!(
            features.meets(needs),
            "{}'s Bad example lacks {needs:?}",
            rule.meta.code
        );
    }
    // The documents without a rule's needs are most of them: the check is not vacuous.
    assert!(without > 1000, "only {without} runs without the needs");
}
