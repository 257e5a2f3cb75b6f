//! The README's rule table is generated from the registry; this test keeps it in step
//! (`BYOKCHECK_BLESS=1` rewrites it).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

mod support;

use byokcheck_core::{rule, rules};

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

/// The first sentence of a rule's "What it catches" section, on one line.
fn summary(docs: &str) -> String {
    let section = docs
        .split_once("## What it catches")
        .map_or("", |(_, rest)| rest)
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let text = section.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = match text.find(". ") {
        Some(end) => &text[..=end],
        None => text.as_str(),
    };
    sentence.replace('|', "\\|")
}

fn table() -> String {
    let mut out = String::from(
        "| code | name | severity | applies to | what it catches |\n|---|---|---|---|---|\n",
    );
    for summary_row in rules() {
        let docs = rule(summary_row.code).unwrap();
        let kinds: Vec<&str> = docs.kinds.iter().map(|k| k.as_str()).collect();
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            docs.code,
            docs.name,
            docs.severity,
            kinds.join(", "),
            summary(&docs.docs)
        ));
    }
    out
}

#[test]
fn readme_rule_table_is_current() {
    let path = support::repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (before, rest) = readme
        .split_once(START)
        .expect("README has the rules:start marker");
    let (current, after) = rest
        .split_once(END)
        .expect("README has the rules:end marker");
    let expected = format!("\n{}", table());
    if current != expected {
        if std::env::var_os("BYOKCHECK_BLESS").is_some() {
            std::fs::write(&path, format!("{before}{START}{expected}{END}{after}")).unwrap();
        } else {
            panic!("the README's rule table is out of date: run BYOKCHECK_BLESS=1 cargo test -p byokcheck-tests --test readme");
        }
    }
    assert!(
        table().lines().count() > 100,
        "expected every rule in the table"
    );
}
