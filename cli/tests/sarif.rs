//! `--format sarif` against the official SARIF 2.1.0 schema (tests/data), and its snapshot.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "end-to-end tests: a failure is a failing test"
)]

mod common;

use common::{byokcheck, fixtures, TempDir};
use insta::assert_snapshot;
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let text = include_str!("data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(text).expect("the schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    assert_eq!(schema["properties"]["version"]["enum"][0], "2.1.0");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(sarif: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{sarif:#}",
        errors.join("\n")
    );
}

#[test]
fn the_validator_rejects_invalid_sarif() {
    // A guard on the guard: a wrong level and a missing message must not pass.
    let bad = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal"}]}]
    });
    assert!(!validator().is_valid(&bad));
}

#[test]
fn check_output_is_valid_sarif() {
    let run = byokcheck(
        &fixtures().join("broken"),
        &["check", "--format", "sarif", "."],
    );
    assert_eq!(run.status, 1);
    let mut sarif = run.json();
    assert_valid(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let json = byokcheck(
        &fixtures().join("broken"),
        &["check", "--format", "json", "."],
    )
    .json();
    assert_eq!(
        json["summary"]["findings"],
        results.len(),
        "one result per finding"
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    // The snapshot keeps the shape; the rule documentation and version change on their own.
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        rule["help"] = serde_json::json!({"text": "[docs]", "markdown": "[docs]"});
        rule["shortDescription"]["text"] = "[docs]".into();
    }
    for key in ["version", "semanticVersion"] {
        sarif["runs"][0]["tool"]["driver"][key] = "[version]".into();
    }
    assert_snapshot!(serde_json::to_string_pretty(&sarif).unwrap());
}

#[test]
fn unreadable_files_clean_runs_verify_and_arns_are_valid_sarif() {
    let dir = TempDir::new("sarif");
    dir.write("latin1.json", b"{\"Sid\": \"caf\xe9\"}");
    dir.write(
        "folder with space/clean.json",
        r#"{"Version": "2012-10-17", "Statement": []}"#,
    );
    let run = byokcheck(
        dir.path(),
        &["check", "--format", "sarif", ".", "missing.json"],
    );
    assert_eq!(run.status, 2);
    let sarif = run.json();
    assert_valid(&sarif);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"folder%20with%20space/clean.json"),
        "{uris:?}"
    );

    let run = byokcheck(&fixtures().join("setup"), &["check", "--format", "sarif"]);
    assert_eq!(run.status, 0);
    assert_valid(&run.json());

    let run = byokcheck(&fixtures().join("setup"), &["verify", "--format", "sarif"]);
    assert_valid(&run.json());
    assert!(run.json()["runs"][0]["properties"]["items"].is_array());

    let run = byokcheck(
        dir.path(),
        &[
            "arn",
            "--format",
            "sarif",
            "arn:aws:iam::1234-5678-9012:role/BYOK Role",
            "::weird",
        ],
    );
    assert_eq!(run.status, 1);
    assert_valid(&run.json());
}
