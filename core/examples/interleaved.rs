//! The benches' ratios measured side by side: `check` (no context) and
//! `serde_json::from_str::<serde_json::Value>` on the same text, alternating in slices of a
//! few milliseconds, so that both see the same machine. On a shared machine criterion's two
//! measurements of a group run seconds apart, and serde_json's own time has moved 2.6x between
//! runs; here a slow moment slows both sides of one slice. Prints each document's median
//! ratio over the slices and the middle half of them.
//!
//! `cargo run --release -p byokcheck-core --example interleaved [SLICES]` (scripts/bench-ratios
//! runs it after the criterion benches).

use std::hint::black_box;
use std::time::{Duration, Instant};

use byokcheck_core::{check, Context, DocumentKind};

/// Runs `f` `n` times and returns the time taken.
fn timed(n: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed()
}

fn main() {
    let slices: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
        .max(1);
    let documents = [
        (
            "small-trust",
            DocumentKind::Trust,
            include_str!("../benches/data/small-trust-policy.json"),
        ),
        (
            "typical-key",
            DocumentKind::Key,
            include_str!("../benches/data/typical-key-policy.json"),
        ),
        (
            "large-identity",
            DocumentKind::Iam,
            include_str!("../benches/data/large-identity-policy.json"),
        ),
    ];
    let context = Context::default();
    for (name, kind, text) in documents {
        let serde = || {
            let value: Result<serde_json::Value, _> = serde_json::from_str(black_box(text));
            black_box(value.is_ok());
        };
        let ours = || {
            black_box(check(black_box(text), kind, &context).findings.len());
        };
        // Enough calls per slice for about 2 ms of serde_json, found once.
        let mut calls = 1;
        while timed(calls, serde) < Duration::from_millis(2) {
            calls *= 2;
        }
        // Warm both up, then alternate; which side goes first alternates too.
        timed(calls, ours);
        // Microseconds per call, each side.
        let (mut mine_us, mut theirs_us) = (Vec::new(), Vec::new());
        let mut ratios: Vec<f64> = (0..slices)
            .map(|slice| {
                let (theirs, mine) = if slice % 2 == 0 {
                    let theirs = timed(calls, serde);
                    (theirs, timed(calls, ours))
                } else {
                    let mine = timed(calls, ours);
                    (timed(calls, serde), mine)
                };
                mine_us.push(mine.as_secs_f64() * 1e6 / f64::from(calls));
                theirs_us.push(theirs.as_secs_f64() * 1e6 / f64::from(calls));
                mine.as_secs_f64() / theirs.as_secs_f64()
            })
            .collect();
        mine_us.sort_by(f64::total_cmp);
        theirs_us.sort_by(f64::total_cmp);
        let median_of = |times: &[f64]| times.get(times.len() / 2).copied().unwrap_or_default();
        ratios.sort_by(f64::total_cmp);
        let at = |q: f64| {
            ratios
                .get((q * (ratios.len() - 1) as f64) as usize)
                .copied()
        };
        if let (Some(low), Some(median), Some(high)) = (at(0.25), at(0.5), at(0.75)) {
            println!(
                "{name:16} byokcheck_grammar {:9.2} µs {median:5.2}x serde_json_value ({:.2} µs; middle half {low:.2}-{high:.2}x, {slices} slices of {calls} calls)",
                median_of(&mine_us),
                median_of(&theirs_us),
            );
        }
    }
}
