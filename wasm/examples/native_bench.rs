//! Native timing of the typical trust-policy check, for `bench/node-vs-native.mjs`: the same
//! document, context and loop shape as the Node side, printed as one JSON line.

use std::hint::black_box;
use std::time::Instant;

use byokcheck_core::{check, Context, DocumentKind};

const TRUST: &str = include_str!("../../core/benches/data/small-trust-policy.json");

fn main() {
    let context = Context::example();
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let rounds = 7;
    let mut findings = 0;
    for _ in 0..iterations {
        findings = check(black_box(TRUST), DocumentKind::Trust, &context)
            .findings
            .len();
    }
    // Best of several rounds: the machine is shared, the minimum is the least disturbed.
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(check(black_box(TRUST), DocumentKind::Trust, &context));
        }
        let per_op = start.elapsed().as_secs_f64() * 1e9 / f64::from(iterations);
        best = best.min(per_op);
    }
    println!(
        r#"{{"ns_per_op": {best:.1}, "iterations": {iterations}, "rounds": {rounds}, "findings": {findings}}}"#
    );
}
