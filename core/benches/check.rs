//! Parse plus every applicable check, beside `serde_json::from_str::<Value>` on the same text
//! in the same group, so the ratio can be read straight from the report.

use std::hint::black_box;

use byokcheck_core::{check, Context, DocumentKind};
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

fn check_vs_serde_json(c: &mut Criterion) {
    let context = Context::example();
    for (name, kind, text) in INPUTS {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("serde_json_value", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(text)).map(|_| ()))
        });
        group.bench_function("byokcheck_check", |b| {
            b.iter(|| check(black_box(text), kind, &context))
        });
        group.finish();
    }
}

criterion_group!(benches, check_vs_serde_json);
criterion_main!(benches);
