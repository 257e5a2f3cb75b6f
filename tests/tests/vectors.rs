//! Runs every conformance vector in `tests/vectors/` (format: `tests/vectors/README.md`).
//! The npm package and the Python wheel run the same files and must agree exactly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

mod support;

use std::path::{Path, PathBuf};

use std::collections::BTreeSet;

use byokcheck_core::{check, check_arn, rule, rules, Context, DocumentKind, Report};
use serde::{Deserialize, Serialize};

/// Set to rewrite `expected` from the current output (then review the diff like code).
const BLESS: &str = "BYOKCHECK_BLESS";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    description: String,
    kind: Option<DocumentKind>,
    #[serde(default, skip_serializing_if = "is_empty_context")]
    context: Context,
    document: String,
    expected: Vec<Expected>,
}

fn is_empty_context(context: &Context) -> bool {
    *context == Context::default()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    code: String,
    severity: byokcheck_core::Severity,
    line: usize,
    column: usize,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn run(vector: &Vector) -> Report {
    match vector.kind {
        Some(kind) if kind.is_policy() => check(&vector.document, kind, &vector.context),
        kind => check_arn(&vector.document, kind),
    }
}

fn expected_of(report: &Report) -> Vec<Expected> {
    report
        .findings
        .iter()
        .map(|f| Expected {
            code: f.code.clone(),
            severity: f.severity,
            line: f.line,
            column: f.column,
        })
        .collect()
}

fn write(path: &Path, vector: &Vector) {
    let mut text = serde_json::to_string_pretty(vector).unwrap();
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

fn all_vectors() -> Vec<(PathBuf, Vector)> {
    let root = support::repo_root().join("tests/vectors");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let vector = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a valid vector: {e}", path.display()));
            (path, vector)
        })
        .collect()
}

#[test]
fn every_vector_agrees() {
    let root = support::repo_root().join("tests/vectors");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    assert!(
        paths.len() >= 20,
        "expected the vector suite, found {} files",
        paths.len()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let vector: Vector = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not a valid vector: {e}"));
                continue;
            }
        };
        assert!(!vector.description.is_empty(), "{name}: empty description");
        let report = run(&vector);
        let actual = expected_of(&report);
        if actual != vector.expected && std::env::var_os(BLESS).is_some() {
            write(
                path,
                &Vector {
                    expected: actual,
                    ..vector
                },
            );
            continue;
        }
        if actual != vector.expected {
            failures.push(format!(
                "{name}: {}\n  expected: {}\n  actual:   {}\n  messages: {:?}",
                vector.description,
                serde_json::to_string(&vector.expected).unwrap(),
                serde_json::to_string(&actual).unwrap(),
                report
                    .findings
                    .iter()
                    .map(|f| &f.message)
                    .collect::<Vec<_>>()
            ));
        }
    }
    println!("{} vectors checked", paths.len());
    assert!(
        failures.is_empty(),
        "{} of {} vectors disagree:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

/// Each rule's Bad example is a vector too, kept in step with the rule's documentation.
#[test]
fn every_rule_bad_example_is_a_vector() {
    let dir = support::repo_root().join("tests/vectors/rules");
    std::fs::create_dir_all(&dir).unwrap();
    let bless = std::env::var_os(BLESS).is_some();
    let mut stale = Vec::new();
    for summary in rules() {
        let docs = rule(summary.code).unwrap();
        let bad = docs.bad_example.clone().unwrap();
        let kind = docs.kinds[0];
        let path = dir.join(format!("{}-{}.json", docs.code, docs.name));
        let context = docs.bad_example_context.clone();
        let current: Option<Vector> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
        let in_step = current
            .as_ref()
            .is_some_and(|v| v.document == bad && v.kind == Some(kind) && v.context == context);
        if in_step {
            continue;
        }
        if bless {
            let mut vector = Vector {
                description: format!("the Bad example of {} {}", docs.code, docs.name),
                kind: Some(kind),
                context,
                document: bad,
                expected: Vec::new(),
            };
            vector.expected = expected_of(&run(&vector));
            write(&path, &vector);
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "these rule vectors are missing or out of step with the rule docs (run with {BLESS}=1 and review): {stale:#?}"
    );
}

/// Every rule code is expected somewhere in the vectors, so every binding is tested on it.
#[test]
fn every_rule_code_appears_in_a_vector() {
    let seen: BTreeSet<String> = all_vectors()
        .into_iter()
        .flat_map(|(_, v)| v.expected.into_iter().map(|e| e.code))
        .collect();
    let missing: Vec<&str> = rules()
        .iter()
        .map(|r| r.code)
        .filter(|code| !seen.contains(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "no vector expects these codes: {missing:?}"
    );
}
