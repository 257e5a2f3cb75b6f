//! `byokcheck verify` end to end: the verification table from flags or the config.
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

const CONTEXT: [&str; 6] = [
    "--external-id",
    "kore-7f3a9c2e-byok",
    "--role-arn",
    "arn:aws:iam::210987654321:role/BYOK_Role",
    "--cmk-arn",
    "arn:aws:kms:eu-west-1:210987654321:key/5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
];

#[test]
fn a_correct_setup_passes_from_its_config() {
    // fixtures/setup is `byokcheck generate` output: its byokcheck.toml has the context and a
    // `[setup]` table with the three documents.
    let run = byokcheck(&fixtures().join("setup"), &["verify"]);
    assert_eq!(run.status, 0, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
}

#[test]
fn a_broken_setup_fails_with_the_findings_under_each_item() {
    let mut args = vec![
        "verify",
        "--no-config",
        "--iam-policy",
        "broken/iam-policy.json",
        "--trust-policy",
        "broken/trust-policy.json",
        "--key-policy",
        "setup/key-policy.json",
    ];
    args.extend(CONTEXT);
    let run = byokcheck(&fixtures(), &args);
    assert_eq!(run.status, 1);
    assert_snapshot!(run.snapshot());

    args.extend(["--format", "json"]);
    let run = byokcheck(&fixtures(), &args);
    assert_eq!(run.status, 1);
    let json = run.json();
    assert_eq!(json["version"], 1);
    let items = json["items"].as_array().unwrap();
    let status = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status("iam_policy"), "failed");
    assert_eq!(status("trust_relationship"), "failed");
    assert_eq!(status("key_policy"), "passed");
    assert_eq!(status("policy_attachment"), "not_checked");
    assert_eq!(json["summary"]["items"]["failed"], 2);
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "broken/iam-policy.json",
            "broken/trust-policy.json",
            "setup/key-policy.json",
            "arn:aws:iam::210987654321:role/BYOK_Role",
            "arn:aws:kms:eu-west-1:210987654321:key/5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        ]
    );
    assert_snapshot!("broken_setup_json", run.stdout);
}

#[test]
fn ignoring_the_failing_rules_passes_the_item() {
    let mut args = vec![
        "verify",
        "--no-config",
        "--trust-policy",
        "broken/trust-policy.json",
        "--ignore",
        "duplicate-key,T004",
        "--format",
        "json",
    ];
    args.extend(CONTEXT);
    let run = byokcheck(&fixtures(), &args);
    let json = run.json();
    let trust = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "trust_relationship")
        .unwrap()
        .clone();
    assert_eq!(trust["findings"], serde_json::json!([]), "{trust}");
    assert_eq!(trust["status"], "passed", "{trust}");
    assert_eq!(run.status, 0, "{}", run.stdout);
}

#[test]
fn nothing_to_verify_or_an_unreadable_document_exits_2() {
    let dir = TempDir::new("verify-nothing");
    let run = byokcheck(dir.path(), &["verify", "--no-config"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.starts_with("error: nothing to verify"),
        "{}",
        run.stderr
    );

    let mut args = vec!["verify", "--no-config", "--iam-policy", "missing.json"];
    args.extend(CONTEXT);
    let run = byokcheck(dir.path(), &args);
    assert_eq!(run.status, 2);
    assert!(
        run.stdout
            .starts_with("missing.json: error: cannot read the file: no such file or directory"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("IAM Policy            not checked"),
        "{}",
        run.stdout
    );
}
