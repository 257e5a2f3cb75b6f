//! Hostile inputs finish with findings, never a panic or a hang. (No timing assertions: a
//! quadratic or exponential path shows up as a test that does not finish.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

use byokcheck_core::policy::BaseOperator;
use byokcheck_core::{check, Context, DocumentKind, MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH};

fn codes(text: &str, kind: DocumentKind) -> Vec<String> {
    check(text, kind, &Context::example())
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn nested_arrays_up_to_the_size_limit_are_refused_at_the_depth_limit() {
    let depth = MAX_DOCUMENT_BYTES / 2 - 16;
    let text = format!(
        "{{\"Statement\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(text.len() <= MAX_DOCUMENT_BYTES);
    let report = check(&text, DocumentKind::Iam, &Context::example());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].code, "J003");
    assert!(report.findings[0]
        .message
        .contains(&MAX_NESTING_DEPTH.to_string()));
}

#[test]
fn a_very_long_action_list_is_checked() {
    // As many entries as fit under the size limit, half of them repeats and wildcards.
    let actions: Vec<String> = (0..15_000)
        .map(|i| match i % 4 {
            0 => "kms:Decrypt".to_string(),
            1 => format!("s3:Get{i}"),
            2 => "kms:*".to_string(),
            _ => format!("ec2:Describe{i}*"),
        })
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {}, "Resource": "*"}}]}}"#,
        serde_json::to_string(&actions).unwrap()
    );
    assert!(text.len() <= MAX_DOCUMENT_BYTES, "{}", text.len());
    let found = codes(&text, DocumentKind::Iam);
    assert!(
        found.iter().any(|c| c == "X007"),
        "redundant actions are named"
    );
    assert!(found.iter().any(|c| c == "I005"), "kms:* is over-broad");
}

#[test]
fn a_key_of_100_000_characters_is_an_invalid_element() {
    let key = "A".repeat(100_000);
    let text = format!(r#"{{"Version": "2012-10-17", "{key}": 1, "Statement": []}}"#);
    let found = codes(&text, DocumentKind::Iam);
    assert!(found.contains(&"G001".to_string()), "{found:?}");
    assert!(found.contains(&"G004".to_string()), "{found:?}");
}

#[test]
fn every_condition_operator_at_once() {
    let mut operators = serde_json::Map::new();
    for base in BaseOperator::ALL {
        for prefix in ["", "ForAllValues:", "ForAnyValue:"] {
            for suffix in ["", "IfExists"] {
                let name = format!("{prefix}{}{suffix}", base.name());
                operators.insert(
                    name,
                    serde_json::json!({"sts:ExternalId": ["kore-7f3a9c2e-byok", "1", "true", "10.0.0.0/8", "2024-01-01", "a*b"]}),
                );
            }
        }
    }
    let text = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"},
            "Action": "sts:AssumeRole",
            "Condition": operators,
        }]
    })
    .to_string();
    let report = check(&text, DocumentKind::Trust, &Context::example());
    assert!(report.has("G025"), "NullIfExists is named");
    assert!(report.has("T001") || report.has("T002") || report.has("T003"));
}

#[test]
fn repeated_wildcards_match_in_bounded_time() {
    let pattern = "a*".repeat(2_000) + "b";
    let text = "a".repeat(20_000);
    assert!(!byokcheck_core::eval::wildcard_matches(
        &pattern, &text, false
    ));
    assert!(byokcheck_core::eval::wildcard_matches(
        &pattern,
        &(text + "b"),
        false
    ));
}
