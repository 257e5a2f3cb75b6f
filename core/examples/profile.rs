//! A loop to profile under `perf record` or `valgrind --tool=callgrind`:
//! `cargo build --release -p byokcheck-core --example profile` then
//! `valgrind --tool=callgrind target/release/examples/profile typical-key grammar 2000`
//! (documents: small-trust, typical-key, large-identity; modes: grammar, byok, serde_json),
//! or `... profile corpus DIR 1` for every `*.json` of a folder.

use std::hint::black_box;

use byokcheck_core::{check, check_detecting, Context, DocumentKind};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "typical-key".into());
    let mode = args.next().unwrap_or_else(|| "grammar".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2000);
    // `corpus DIR`: every `*.json` of a folder, detected and checked as `byokcheck check` does.
    if name == "corpus" {
        let dir = mode;
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                texts.push(text);
            }
        }
        let mut findings = 0;
        for _ in 0..rounds {
            for text in &texts {
                findings += check_detecting(black_box(text), &Context::default())
                    .1
                    .findings
                    .len();
            }
        }
        println!("{} files, {findings} findings", texts.len());
        return;
    }
    let (kind, text) = match name.as_str() {
        "small-trust" => (
            DocumentKind::Trust,
            include_str!("../benches/data/small-trust-policy.json"),
        ),
        "large-identity" => (
            DocumentKind::Iam,
            include_str!("../benches/data/large-identity-policy.json"),
        ),
        _ => (
            DocumentKind::Key,
            include_str!("../benches/data/typical-key-policy.json"),
        ),
    };
    if mode == "serde_json" {
        let mut sum = 0;
        for _ in 0..rounds {
            let value: Result<serde_json::Value, _> = serde_json::from_str(black_box(text));
            sum += usize::from(black_box(value).is_ok());
        }
        println!("{sum}");
        return;
    }
    let context = if mode == "byok" {
        Context::example()
    } else {
        Context::default()
    };
    let mut findings = 0;
    for _ in 0..rounds {
        findings += black_box(check(black_box(text), kind, &context))
            .findings
            .len();
    }
    println!("{findings}");
}
