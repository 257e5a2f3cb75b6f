//! Parse plus every applicable check, beside `serde_json::from_str::<Value>` on the same text
//! in the same group, so the ratio can be read straight from the report.

use std::hint::black_box;

use byokcheck_core::{check, verify_setup, Context, DocumentKind, SetupInput};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const INPUTS: [(&str, DocumentKind, &str); 3] = [
    (
        "small-trust",
        DocumentKind::Trust,
        include_str!("data/small-trust-policy.json"),
    ),
    (
        "typical-key",
        DocumentKind::Key,
        include_str!("data/typical-key-policy.json"),
    ),
    (
        "large-identity",
        DocumentKind::Iam,
        include_str!("data/large-identity-policy.json"),
    ),
];

/// `byokcheck_grammar`: no setup context, so the JSON, grammar, value and catalog rules run and
/// the BYOK rules only say what they could not check (the issue-2 target: at most 2x).
/// `byokcheck_byok`: the full setup context, so the BYOK rules evaluate the vendor's requests too.
fn check_vs_serde_json(c: &mut Criterion) {
    let grammar_only = Context::default();
    let context = Context::example();
    for (name, kind, text) in INPUTS {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("serde_json_value", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(text)).map(|_| ()))
        });
        group.bench_function("byokcheck_grammar", |b| {
            b.iter(|| check(black_box(text), kind, &grammar_only))
        });
        group.bench_function("byokcheck_byok", |b| {
            b.iter(|| check(black_box(text), kind, &context))
        });
        group.finish();
    }
}

/// The whole-setup verification of a correct Kore.ai setup, beside serde_json parsing the
/// same three documents.
fn verify_setup_vs_serde_json(c: &mut Criterion) {
    let documents = [
        include_str!("../../tests/fixtures/kore-ai-correct/iam-policy.json"),
        include_str!("../../tests/fixtures/kore-ai-correct/trust-policy.json"),
        include_str!("../../tests/fixtures/kore-ai-correct/key-policy.json"),
    ];
    let input = SetupInput {
        context: Context::example(),
        iam_policy: Some(documents[0].to_string()),
        trust_policy: Some(documents[1].to_string()),
        key_policy: Some(documents[2].to_string()),
        policy_attached: None,
    };
    let mut group = c.benchmark_group("verify-setup");
    group.bench_function("serde_json_value_x3", |b| {
        b.iter(|| {
            documents
                .iter()
                .all(|d| serde_json::from_str::<serde_json::Value>(black_box(d)).is_ok())
        })
    });
    group.bench_function("byokcheck_verify_setup", |b| {
        b.iter(|| verify_setup(black_box(&input)))
    });
    group.finish();
}

criterion_group!(benches, check_vs_serde_json, verify_setup_vs_serde_json);
criterion_main!(benches);
