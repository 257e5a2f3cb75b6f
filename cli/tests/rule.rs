//! `byokcheck rule`: the list and one rule's documentation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "end-to-end tests: a failure is a failing test"
)]

mod common;

use common::{byokcheck, fixtures};
use insta::assert_snapshot;

#[test]
fn the_list_names_every_rule() {
    let run = byokcheck(&fixtures(), &["rule"]);
    assert_eq!(run.status, 0);
    let rules = byokcheck_core::rules();
    for rule in &rules {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{}  ", rule.code)))
            .unwrap_or_else(|| panic!("{} is not listed", rule.code));
        assert!(
            line.contains(rule.name) && line.contains(rule.severity.as_str()),
            "{line}"
        );
    }
    assert!(run.stdout.ends_with(&format!(
        "\n{} rules; `byokcheck rule CODE` prints one rule's documentation\n",
        rules.len()
    )));

    let run = byokcheck(&fixtures(), &["rule", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), rules.len());
    assert_eq!(json[0]["code"], rules[0].code);
}

#[test]
fn one_rule_prints_its_documentation() {
    let run = byokcheck(&fixtures(), &["rule", "J005"]);
    assert_eq!(run.status, 0);
    assert_snapshot!(run.snapshot());
    // By name, and as JSON.
    let by_name = byokcheck(&fixtures(), &["rule", "duplicate-key"]);
    assert_eq!(by_name.stdout, run.stdout);
    let json = byokcheck(&fixtures(), &["rule", "j005", "--format", "json"]).json();
    assert_eq!(json["name"], "duplicate-key");
    assert!(json["docs"].as_str().unwrap().contains("## How to fix"));
}

#[test]
fn an_unknown_rule_suggests_the_closest() {
    let run = byokcheck(&fixtures(), &["rule", "duplicat-key"]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: `duplicat-key` names no rule; did you mean `duplicate-key`?\n"
    );
}
