//! Invariants every fuzz target asserts on the reports it gets (DESIGN.md, convention 12):
//! not just "no panic", but findings that a renderer can trust.
//!
//! - `line`, `column`, `end_line`, `end_column` are 1-based, and the end is not before the start;
//! - the byte span lies within the text, on character boundaries, and `line`/`column` (and the
//!   end) are the positions of its ends;
//! - the pointer is empty or starts with `/`, and when the text is plain JSON it resolves
//!   (to any of the values of a duplicated key);
//! - findings are sorted by position, then code;
//! - checking the same input twice gives the identical report (the targets call
//!   [`assert_deterministic`]).
//!
//! `tests/tests/fuzz_regressions.rs` asserts the same invariants on the inputs the fuzzer found.

use std::fmt::Debug;

use byokcheck_core::{Finding, Report};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// The fuzz input as text: invalid UTF-8 becomes U+FFFD, so that every input exercises the
/// checks (a policy is text; bytes that are not UTF-8 never reach the core).
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Splits the input into at most `n` parts on `separator`; a missing part is `None`.
pub fn split(data: &[u8], separator: u8, n: usize) -> Vec<Option<String>> {
    let mut parts: Vec<Option<String>> = data
        .splitn(n, |&b| b == separator)
        .map(|part| Some(text(part)))
        .collect();
    parts.resize(n, None);
    parts
}

/// The 1-based (line, column) of byte `offset`, columns counting characters: an independent
/// re-implementation of what the core's line index computes.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Asserts the per-finding invariants of every finding of `findings`, checked in `text`.
pub fn check_findings(text: &str, findings: &[Finding]) {
    let tree = parse_tree(text);
    for finding in findings {
        check_finding(text, tree.as_ref(), finding);
    }
    for pair in findings.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (a.span.start, a.span.end, &a.code) <= (b.span.start, b.span.end, &b.code),
            "findings not sorted by position, then code:\n{a:#?}\n{b:#?}"
        );
    }
}

/// Asserts the invariants of every finding of `report`, checked in `text`.
pub fn check_report(text: &str, report: &Report) {
    check_findings(text, &report.findings);
}

fn check_finding(text: &str, tree: Option<&Node>, f: &Finding) {
    assert!(
        f.line >= 1 && f.column >= 1 && f.end_line >= 1 && f.end_column >= 1,
        "a position is not 1-based: {f:#?}"
    );
    assert!(
        (f.end_line, f.end_column) >= (f.line, f.column),
        "the end is before the start: {f:#?}"
    );
    assert!(f.span.start <= f.span.end, "the span is reversed: {f:#?}");
    assert!(
        f.span.end <= text.len(),
        "the span ends past the text ({} bytes): {f:#?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
        "the span is not on character boundaries: {f:#?}"
    );
    assert_eq!(
        (f.line, f.column),
        position(text, f.span.start),
        "line/column disagree with the span's start: {f:#?}"
    );
    assert_eq!(
        (f.end_line, f.end_column),
        position(text, f.span.end),
        "end_line/end_column disagree with the span's end: {f:#?}"
    );
    assert!(
        f.pointer.is_empty() || f.pointer.starts_with('/'),
        "the pointer is neither empty nor starts with `/`: {f:#?}"
    );
    if let Some(tree) = tree {
        assert!(
            tree.resolves(&f.pointer),
            "the pointer does not resolve in the document: {f:#?}"
        );
    }
    assert!(!f.code.is_empty() && !f.message.is_empty(), "{f:#?}");
}

/// Asserts that two runs gave the identical result.
pub fn assert_deterministic<T: PartialEq + Debug>(first: &T, second: &T) {
    assert!(
        first == second,
        "two runs on the same input differ:\n{first:#?}\n{second:#?}"
    );
}

/// A JSON value that keeps every member of an object, duplicates included, so that a pointer
/// through any of a duplicated key's values resolves.
#[derive(Debug)]
pub enum Node {
    Scalar,
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// The text as plain JSON (`serde_json`'s grammar), or `None` when it is not.
pub fn parse_tree(text: &str) -> Option<Node> {
    serde_json::from_str(text).ok()
}

impl Node {
    /// True when the RFC 6901 pointer names a value of the tree.
    pub fn resolves(&self, pointer: &str) -> bool {
        if pointer.is_empty() {
            return true;
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return false;
        };
        let (token, rest) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let token = token.replace("~1", "/").replace("~0", "~");
        match self {
            Node::Scalar => false,
            Node::Array(items) => {
                let index = (token == "0" || !token.starts_with('0'))
                    .then(|| token.parse::<usize>().ok())
                    .flatten();
                index
                    .and_then(|i| items.get(i))
                    .is_some_and(|item| item.resolves(rest))
            }
            Node::Object(members) => members
                .iter()
                .any(|(key, value)| *key == token && value.resolves(rest)),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}
