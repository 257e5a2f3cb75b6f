//! `byokcheck arn` end to end: pasted ARNs, detected or forced, each one entry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "end-to-end tests: a failure is a failing test"
)]

mod common;

use common::{byokcheck, byokcheck_with_stdin, TempDir};
use insta::assert_snapshot;

const GOOD_ROLE: &str = "arn:aws:iam::210987654321:role/BYOK_Role";
const GOOD_KEY: &str =
    "arn:aws:kms:eu-west-1:210987654321:key/5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";

#[test]
fn pasted_arns_are_detected_and_checked() {
    let dir = TempDir::new("arn");
    let run = byokcheck(
        dir.path(),
        &[
            "arn",
            "arn:aws:iam::1234-5678-9012:role/BYOK_Role",
            "alias/byok",
            GOOD_KEY,
            "BYOK_Role",
        ],
    );
    assert_eq!(run.status, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn json_has_one_entry_per_arn_with_its_text_as_path() {
    let dir = TempDir::new("arn-json");
    let run = byokcheck(
        dir.path(),
        &["arn", "--format", "json", GOOD_ROLE, GOOD_KEY],
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["files"][0]["path"], GOOD_ROLE);
    assert_eq!(json["files"][0]["kind"], "role_arn");
    assert_eq!(json["files"][0]["reason"], "its service is `iam`");
    assert_eq!(json["files"][1]["kind"], "key_arn");
    assert_eq!(json["summary"]["checked"], 2);
    assert_snapshot!(run.stdout);
}

#[test]
fn as_forces_the_kind() {
    let dir = TempDir::new("arn-as");
    let run = byokcheck(
        dir.path(),
        &["arn", "--as", "cmk", "--format", "json", GOOD_ROLE],
    );
    assert_eq!(run.status, 1);
    let json = run.json();
    assert_eq!(json["files"][0]["kind"], "key_arn");
    assert_eq!(json["files"][0]["reason"], "set with `--as cmk`");
    assert_eq!(json["files"][0]["findings"][0]["name"], "wrong-service");
}

#[test]
fn a_dash_reads_one_arn_a_line() {
    let dir = TempDir::new("arn-stdin");
    let input = format!("{GOOD_ROLE}\n\n  \n{GOOD_KEY}\n");
    let run = byokcheck_with_stdin(
        dir.path(),
        &["arn", "-", "--format", "json"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["files"].as_array().unwrap().len(), 2);
    assert_eq!(json["files"][1]["path"], GOOD_KEY);
}

#[test]
fn an_arn_is_required() {
    let dir = TempDir::new("arn-none");
    let run = byokcheck(dir.path(), &["arn"]);
    assert_eq!(run.status, 2);
}
