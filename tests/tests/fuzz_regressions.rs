//! Inputs from fuzzing (`scripts/fuzz`, targets in `fuzz/fuzz_targets/`), each a plain test
//! asserting the invariants the fuzz targets assert (`fuzz/src/lib.rs`):
//!
//! - `line`, `column`, `end_line`, `end_column` are 1-based and the end is not before the start;
//! - the span lies within the text, on character boundaries, and the line/column pairs are the
//!   positions of its ends (columns count characters);
//! - the pointer is empty or starts with `/`;
//! - findings are sorted by position, then code;
//! - a second run on the same input gives the identical report.
//!
//! Add a test per crash, hang or out-of-memory input the fuzzer finds (the input as written in
//! `fuzz/artifacts/TARGET/`), named after what it shows. The inputs below are the edge cases the
//! targets were seeded to reach; none of them has failed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

use byokcheck_core::{
    check, check_arn, detect_kind, verify_setup, Context, DocumentKind, Finding, SetupInput,
};

/// The 1-based (line, column) of byte `offset`, columns counting characters.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn assert_invariants(text: &str, findings: &[Finding]) {
    for f in findings {
        assert!(
            f.line >= 1 && f.column >= 1 && f.end_line >= 1 && f.end_column >= 1,
            "{f:#?}"
        );
        assert!((f.end_line, f.end_column) >= (f.line, f.column), "{f:#?}");
        assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{f:#?}"
        );
        assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "{f:#?}"
        );
        assert_eq!((f.line, f.column), position(text, f.span.start), "{f:#?}");
        assert_eq!(
            (f.end_line, f.end_column),
            position(text, f.span.end),
            "{f:#?}"
        );
        assert!(f.pointer.is_empty() || f.pointer.starts_with('/'), "{f:#?}");
    }
    for pair in findings.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (a.span.start, a.span.end, &a.code) <= (b.span.start, b.span.end, &b.code),
            "not sorted:\n{a:#?}\n{b:#?}"
        );
    }
}

/// What the `parse`, `check_trust`, `check_key` and `check_iam` targets do with one input.
fn check_all_kinds(text: &str) {
    for context in [Context::default(), Context::example()] {
        for kind in DocumentKind::POLICIES {
            let report = check(text, kind, &context);
            assert_eq!(report.kind, kind);
            assert_invariants(text, &report.findings);
            assert_eq!(report, check(text, kind, &context), "not deterministic");
        }
    }
    let detection = detect_kind(text);
    assert!(detection.kind.is_policy());
    assert_eq!(detection, detect_kind(text));
}

/// What the `arn` target does with one input.
fn check_arn_kinds(text: &str) {
    for as_kind in [
        None,
        Some(DocumentKind::RoleArn),
        Some(DocumentKind::KeyArn),
    ] {
        let report = check_arn(text, as_kind);
        assert_invariants(text, &report.findings);
        assert_eq!(report, check_arn(text, as_kind), "not deterministic");
    }
}

/// What the `verify_setup` target does with one input (documents split on NUL).
fn check_setup(data: &str) {
    let mut parts = data.splitn(3, '\0').map(str::to_string);
    let input = SetupInput {
        context: Context::example(),
        iam_policy: parts.next(),
        trust_policy: parts.next(),
        key_policy: parts.next(),
        policy_attached: None,
    };
    let report = verify_setup(&input);
    for document in &report.documents {
        let text = match document.name.as_str() {
            "iam_policy" => input.iam_policy.as_deref(),
            "trust_policy" => input.trust_policy.as_deref(),
            "key_policy" => input.key_policy.as_deref(),
            "role_arn" => input.context.role_arn.as_deref(),
            "cmk_arn" => input.context.cmk_arn.as_deref(),
            other => panic!("unknown document `{other}`"),
        };
        assert_invariants(text.unwrap(), &document.findings);
    }
    assert_eq!(report, verify_setup(&input), "not deterministic");
}

#[test]
fn empty_and_blank_texts() {
    for text in ["", " ", "\n", "\r\n", "\t\n \n", "\u{feff}"] {
        check_all_kinds(text);
        check_arn_kinds(text);
        check_setup(text);
    }
}

#[test]
fn truncated_documents_point_at_their_end() {
    let document = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}"#;
    for end in (0..=document.len()).step_by(7) {
        check_all_kinds(&document[..end]);
    }
}

#[test]
fn multibyte_characters_and_line_endings() {
    for text in [
        "{\"Statement\": {\"Effect\": \"Allöw\", \"Action\": \"kms:Décrypt\", \"Resource\": \"*\"}}",
        "{\r\n\"Statement\":\r\n[{\"Sid\": \"é\u{1F600}\", \"Effect\": \"Allow\"}]\r\n}",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:\u{0}\", \"Resource\": \"\u{FFFD}\"}]}",
        "\u{feff}{\"Version\": \"2012-10-17\", \"Statement\": []}",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\",}],}",
        "{\"Statement\": \"\\ud800\"}",
        "{\"Statement\": [{\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": [\"é\", 1e999, true, null]}}}]}",
        "[\"é\"]\n\n\u{2028}",
    ] {
        check_all_kinds(text);
        check_setup(text);
    }
}

#[test]
fn arns_with_odd_characters() {
    for text in [
        "arn:aws:iam::111122223333:role/BYOK_Role",
        " \"arn:aws:iam::111122223333:role/BYOK_Role\" \n",
        "arn:aws:kms:us-east-1:111122223333:key/",
        "arn:aws:kms:us-east-1:1111-2222-3333:alias/é",
        "arn:::::",
        "arn:aws:iam::\u{1F600}:role/x",
        "\u{feff}arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/s",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
    ] {
        check_arn_kinds(text);
    }
}

#[test]
fn setups_split_into_fewer_or_broken_documents() {
    let iam = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
    for data in [
        iam.to_string(),
        format!("{iam}\0"),
        format!("{iam}\0\0"),
        format!("\0{iam}\0{iam}"),
        format!("{iam}\0{{\0[é"),
    ] {
        check_setup(&data);
    }
}
