//! The native side of `bench/bench.py`: the core's per-document `check` time, no Python involved.
//!
//! `cargo run --release -p byokcheck-python --example python_native_bench -- FILE KIND ITERATIONS`
//! prints one line: `ns_per_document=<float> findings=<n>`. The context is `Context::example()`,
//! the one the Python side passes too.

use std::hint::black_box;
use std::time::Instant;

use byokcheck_core::{check, Context, DocumentKind};

fn kind(name: &str) -> Option<DocumentKind> {
    DocumentKind::POLICIES
        .into_iter()
        .find(|k| k.as_str() == name)
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(kind), Some(iterations)) = (
        args.first(),
        args.get(1).and_then(|k| kind(k)),
        args.get(2).and_then(|n| n.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: python_native_bench FILE iam|trust|key ITERATIONS");
        return std::process::ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let context = Context::example();
    // Warm up caches and the allocator, as the Python side does.
    let mut findings = 0;
    for _ in 0..iterations.div_ceil(10) {
        findings = black_box(check(black_box(&text), kind, &context))
            .findings
            .len();
    }
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(check(black_box(&text), kind, &context));
    }
    let elapsed = start.elapsed();
    let per_document = elapsed.as_secs_f64() * 1e9 / f64::from(iterations.max(1));
    println!("ns_per_document={per_document:.1} findings={findings}");
    std::process::ExitCode::SUCCESS
}
