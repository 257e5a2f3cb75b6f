//! Formatting invariance: the same policy written compact, pretty or with odd white space, with
//! the members of the policy and of each statement in any order, `Statement` as an object or a
//! one-element array, and a single `Action`, `Resource`, principal or condition value as a
//! string or a one-element array, gets the same findings. Only positions may differ, and
//! pointers only where the array-ness changed (`/Statement` vs `/Statement/0`, `/Action` vs
//! `/Action/0`): those are compared after dropping `/0` segments.
//!
//! The members of `Principal` and `Condition` objects are shuffled too, and then only the codes
//! are compared: findings about a whole principal or condition block (T001, I008, K002, K004,
//! K012, K013) point at its first member in text order, a position like any other. (This test
//! found T015 for a service principal depending on whether `"AWS": "*"` came before it: the
//! evaluator ranked `Any` and `Exact` matches equal and kept the last.)
//!
//! The policies come from small pools of realistic values (the vendor role, the External ID,
//! the CMK, KMS and STS actions, the operators a BYOK setup uses) with some bad values among
//! them (a typo, a wrong External ID, a lowercase `allow`, an alias ARN, an invalid Sid...) so
//! that rules fire. Checked as each of the three kinds, with the full context and without one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

use byokcheck_core::{check, Context, DocumentKind, Report};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Pools

const VENDOR_ROLE: &str = "arn:aws:iam::358587034707:role/SegBots-Servers-Role";
const CMK: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const VERSIONS: [Option<&str>; 4] = [
    Some("2012-10-17"),
    Some("2012-10-17"),
    Some("2008-10-17"),
    None,
];
const SIDS: [Option<&str>; 6] = [
    None,
    Some("AllowKoreAi"),
    Some("AllowUseOfTheKey"),
    Some("Enable IAM User Permissions"),
    Some("Bad-Sid!"),
    Some(""),
];
const EFFECTS: [Option<&str>; 6] = [
    Some("Allow"),
    Some("Allow"),
    Some("Allow"),
    Some("Deny"),
    Some("allow"),
    None,
];
/// `(principal key, value)`; grouped by key when rendered.
const PRINCIPALS: [(&str, &str); 11] = [
    ("AWS", VENDOR_ROLE),
    ("AWS", VENDOR_ROLE),
    ("AWS", "358587034707"),
    ("AWS", "arn:aws:iam::111122223333:root"),
    ("AWS", "arn:aws:iam::111122223333:role/BYOK_Role"),
    (
        "AWS",
        "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/s",
    ),
    ("AWS", "*"),
    ("AWS", "AROAEXAMPLEID1234567"),
    ("Service", "kms.amazonaws.com"),
    ("Service", "ec2.amazonaws.com"),
    ("Federated", "accounts.google.com"),
];
const TRUST_ACTIONS: [&str; 6] = [
    "sts:AssumeRole",
    "sts:AssumeRole",
    "sts:TagSession",
    "sts:*",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AsumeRole",
];
const KMS_ACTIONS: [&str; 13] = [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
    "kms:ReEncrypt*",
    "kms:*",
    "*",
    "kms:Decript",
    "kms:ScheduleKeyDeletion",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "s3:GetObject",
    "iam:PassRole",
];
const RESOURCES: [&str; 8] = [
    "*",
    CMK,
    CMK,
    "arn:aws:kms:us-east-1:111122223333:key/*",
    "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
    "arn:aws:kms:us-east-1:111122223333:alias/byok",
    "arn:aws:iam::111122223333:role/BYOK_Role",
    "arn:aws:kms:us-east-1:1111-2222-3333:key/x",
];
const OPERATORS: [&str; 11] = [
    "StringEquals",
    "StringEquals",
    "StringLike",
    "StringNotEquals",
    "StringEqualsIfExists",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "Null",
    "Bool",
    "ArnLike",
    "StringEqualz",
];
const CONDITION_KEYS: [&str; 10] = [
    "sts:ExternalId",
    "sts:ExternalId",
    "aws:PrincipalArn",
    "kms:ViaService",
    "kms:CallerAccount",
    "aws:SecureTransport",
    "kms:GrantIsForAWSResource",
    "aws:SourceIp",
    "kms:EncryptionContext:tenant",
    "aws:MultiFactorAuthPresent",
];
const CONDITION_VALUES: [&str; 10] = [
    "kore-7f3a9c2e-byok",
    "kore-7f3a9c2e-byok",
    "kore-*",
    "wrong-id",
    "true",
    "false",
    "s3.us-east-1.amazonaws.com",
    "111122223333",
    "10.0.0.0/8",
    "arn:aws:iam::358587034707:role/*",
];

// ---------------------------------------------------------------------------------------------
// The document model

#[derive(Debug, Clone)]
struct Doc {
    version: Option<&'static str>,
    statements: Vec<Stmt>,
}

/// `(key, values)` with the values' count and order kept as generated.
type Entries = Vec<(&'static str, Vec<&'static str>)>;

#[derive(Debug, Clone)]
struct Stmt {
    sid: Option<&'static str>,
    effect: Option<&'static str>,
    /// `(NotPrincipal?, "*" bare?, entries by principal key)`.
    principal: Option<(bool, bool, Entries)>,
    /// `(NotAction?, values)`.
    action: Option<(bool, Vec<&'static str>)>,
    resource: Option<(bool, Vec<&'static str>)>,
    /// operator -> (condition key -> values).
    condition: Vec<(&'static str, Entries)>,
}

/// Groups `(key, value)` pairs by key (first occurrence order), so no object repeats a key.
fn group(pairs: impl IntoIterator<Item = (&'static str, &'static str)>) -> Entries {
    let mut entries: Entries = Vec::new();
    for (key, value) in pairs {
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => entries.push((key, vec![value])),
        }
    }
    entries
}

fn pick<T: Copy + std::fmt::Debug>(pool: &'static [T]) -> impl Strategy<Value = T> {
    (0..pool.len()).prop_map(move |i| pool[i])
}

fn values<T: Copy + std::fmt::Debug>(
    pool: &'static [T],
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(pick(pool), len)
}

fn statement(kind: DocumentKind) -> impl Strategy<Value = Stmt> {
    let (principal_weight, resource_weight, actions): (f64, f64, &'static [&'static str]) =
        match kind {
            DocumentKind::Trust => (0.95, 0.1, &TRUST_ACTIONS),
            DocumentKind::Key => (0.95, 0.9, &KMS_ACTIONS),
            _ => (0.1, 0.95, &KMS_ACTIONS),
        };
    let principal = prop::option::weighted(
        principal_weight,
        (
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.1),
            values(&PRINCIPALS, 1..4),
        )
            .prop_map(|(negated, bare, pairs)| (negated, bare, group(pairs))),
    );
    let action = prop::option::weighted(
        0.95,
        (
            prop::bool::weighted(0.1),
            prop_oneof![
                8 => values(actions, 1..4),
                1 => values(&KMS_ACTIONS, 1..3),
                1 => Just(Vec::new()),
            ],
        ),
    );
    let resource = prop::option::weighted(
        resource_weight,
        (prop::bool::weighted(0.1), values(&RESOURCES, 1..3)),
    );
    let condition = prop::collection::vec(
        (
            pick(&OPERATORS),
            pick(&CONDITION_KEYS),
            values(&CONDITION_VALUES, 1..3),
        ),
        0..4,
    )
    .prop_map(|triples| {
        // operator -> key -> values, without repeating an operator or a key within one.
        let mut blocks: Vec<(&'static str, Entries)> = Vec::new();
        for (operator, key, vals) in triples {
            let index = match blocks.iter().position(|(o, _)| *o == operator) {
                Some(i) => i,
                None => {
                    blocks.push((operator, Vec::new()));
                    blocks.len() - 1
                }
            };
            let entries = &mut blocks[index].1;
            if !entries.iter().any(|(k, _)| *k == key) {
                entries.push((key, vals));
            }
        }
        blocks
    });
    (
        pick(&SIDS),
        pick(&EFFECTS),
        principal,
        action,
        resource,
        condition,
    )
        .prop_map(
            |(sid, effect, principal, action, resource, condition)| Stmt {
                sid,
                effect,
                principal,
                action,
                resource,
                condition,
            },
        )
}

fn document() -> impl Strategy<Value = (DocumentKind, Doc)> {
    prop_oneof![
        Just(DocumentKind::Trust),
        Just(DocumentKind::Key),
        Just(DocumentKind::Iam)
    ]
    .prop_flat_map(|kind| {
        (
            Just(kind),
            pick(&VERSIONS),
            prop::collection::vec(statement(kind), 1..4),
        )
            .prop_map(|(kind, version, statements)| {
                (
                    kind,
                    Doc {
                        version,
                        statements,
                    },
                )
            })
    })
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// A JSON tree whose `List`s may be written as a string when they hold one value.
enum Node {
    Str(&'static str),
    List(Vec<&'static str>),
    Arr(Vec<Node>),
    /// The policy and its statements: objects whose members are shuffled.
    Obj(Vec<(&'static str, Node)>),
    /// `Principal` and `Condition` maps: objects whose member order is kept (see the file's
    /// documentation).
    Map(Vec<(&'static str, Node)>),
}

fn entries_node(entries: &Entries) -> Node {
    Node::Map(
        entries
            .iter()
            .map(|(key, vals)| (*key, Node::List(vals.clone())))
            .collect(),
    )
}

fn statement_node(s: &Stmt) -> Node {
    let mut members = Vec::new();
    if let Some(sid) = s.sid {
        members.push(("Sid", Node::Str(sid)));
    }
    if let Some(effect) = s.effect {
        members.push(("Effect", Node::Str(effect)));
    }
    if let Some((negated, bare, entries)) = &s.principal {
        let key = if *negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let value = if *bare {
            Node::Str("*")
        } else {
            entries_node(entries)
        };
        members.push((key, value));
    }
    if let Some((negated, vals)) = &s.action {
        let key = if *negated { "NotAction" } else { "Action" };
        members.push((key, Node::List(vals.clone())));
    }
    if let Some((negated, vals)) = &s.resource {
        let key = if *negated { "NotResource" } else { "Resource" };
        members.push((key, Node::List(vals.clone())));
    }
    if !s.condition.is_empty() {
        let blocks = s
            .condition
            .iter()
            .map(|(operator, entries)| (*operator, entries_node(entries)))
            .collect();
        members.push(("Condition", Node::Map(blocks)));
    }
    Node::Obj(members)
}

#[derive(Debug, Clone, Copy)]
enum Style {
    Compact,
    Pretty(&'static str),
    /// Random white space (space, tab, CR LF, LF) around every token.
    Odd,
}

#[derive(Debug, Clone, Copy)]
struct Format {
    style: Style,
    /// Shuffle the members of the policy object and of every statement.
    shuffle: bool,
    /// Shuffle the members of `Principal` and `Condition` objects too.
    shuffle_maps: bool,
    /// Write a single statement as an object rather than a one-element array.
    statement_object: bool,
    /// Drives the shuffles, the odd white space and the string-or-array choices.
    seed: u64,
}

fn format() -> impl Strategy<Value = Format> {
    (
        prop_oneof![
            Just(Style::Compact),
            Just(Style::Pretty("    ")),
            Just(Style::Pretty("\t")),
            Just(Style::Odd),
        ],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(
            |(style, shuffle, shuffle_maps, statement_object, seed)| Format {
                style,
                shuffle,
                shuffle_maps,
                statement_object,
                seed,
            },
        )
}

/// SplitMix64: a tiny deterministic generator for the formatting choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Writer {
    out: String,
    style: Style,
    shuffle: bool,
    shuffle_maps: bool,
    rng: Rng,
}

impl Writer {
    /// White space between tokens; `depth` is the nesting for pretty printing.
    fn space(&mut self, newline: bool, depth: usize) {
        match self.style {
            Style::Compact => {}
            Style::Pretty(indent) => {
                if newline {
                    self.out.push('\n');
                    self.out.push_str(&indent.repeat(depth));
                }
            }
            Style::Odd => {
                const PIECES: [&str; 6] = ["", " ", "\t", "\n", "\r\n", "  \n\t "];
                for _ in 0..self.rng.below(3) {
                    let piece = PIECES[self.rng.below(PIECES.len())];
                    self.out.push_str(piece);
                }
            }
        }
    }

    fn colon(&mut self) {
        if matches!(self.style, Style::Odd) {
            self.space(false, 0);
        }
        self.out.push(':');
        match self.style {
            Style::Compact => {}
            Style::Pretty(_) => self.out.push(' '),
            Style::Odd => self.space(false, 0),
        }
    }

    fn string(&mut self, value: &str) {
        self.out.push_str(&serde_json::to_string(value).unwrap());
    }

    fn strings(&mut self, values: &[&str], depth: usize) {
        self.out.push('[');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.space(true, depth + 1);
            self.string(value);
        }
        if !values.is_empty() {
            self.space(true, depth);
        }
        self.out.push(']');
    }

    fn node(&mut self, node: &Node, depth: usize) {
        match node {
            Node::Str(value) => self.string(value),
            Node::List(values) => {
                if values.len() == 1 && self.rng.below(2) == 0 {
                    self.string(values[0]);
                } else {
                    self.strings(values, depth);
                }
            }
            Node::Arr(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.space(true, depth + 1);
                    self.node(item, depth + 1);
                }
                if !items.is_empty() {
                    self.space(true, depth);
                }
                self.out.push(']');
            }
            Node::Obj(members) | Node::Map(members) => {
                let mut order: Vec<usize> = (0..members.len()).collect();
                let shuffled = match node {
                    Node::Obj(_) => self.shuffle,
                    _ => self.shuffle_maps,
                };
                if shuffled {
                    for i in (1..order.len()).rev() {
                        let j = self.rng.below(i + 1);
                        order.swap(i, j);
                    }
                }
                self.out.push('{');
                for (n, &i) in order.iter().enumerate() {
                    if n > 0 {
                        self.out.push(',');
                    }
                    self.space(true, depth + 1);
                    let (key, value) = &members[i];
                    self.string(key);
                    self.colon();
                    self.node(value, depth + 1);
                }
                if !members.is_empty() {
                    self.space(true, depth);
                }
                self.out.push('}');
            }
        }
    }
}

fn render(doc: &Doc, format: Format) -> String {
    let mut statements: Vec<Node> = doc.statements.iter().map(statement_node).collect();
    let statement = if statements.len() == 1 && format.statement_object {
        statements.remove(0)
    } else {
        Node::Arr(statements)
    };
    let mut members = Vec::new();
    if let Some(version) = doc.version {
        members.push(("Version", Node::Str(version)));
    }
    members.push(("Statement", statement));
    let mut writer = Writer {
        out: String::new(),
        style: format.style,
        shuffle: format.shuffle,
        shuffle_maps: format.shuffle_maps,
        rng: Rng(format.seed),
    };
    writer.space(false, 0);
    writer.node(&Node::Obj(members), 0);
    writer.space(false, 0);
    writer.out
}

// ---------------------------------------------------------------------------------------------
// The property

/// A pointer with its `/0` segments dropped: the one-element array and the single value (or
/// the single statement object) it may be written as then compare equal.
fn normalise(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|segment| *segment != "0")
        .collect::<Vec<_>>()
        .join("/")
}

fn codes(report: &Report) -> Vec<String> {
    let mut codes: Vec<String> = report.findings.iter().map(|f| f.code.clone()).collect();
    codes.sort();
    codes
}

fn located(report: &Report) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.code.clone(), normalise(&f.pointer)))
        .collect();
    found.sort();
    found
}

fn contexts() -> [(&'static str, Context); 2] {
    [
        ("Context::example()", Context::example()),
        ("Context::default()", Context::default()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reformatting_never_changes_the_findings(
        (kind, doc) in document(),
        first in format(),
        second in format(),
    ) {
        let a = render(&doc, first);
        let b = render(&doc, second);
        // Both renderings are the same JSON value up to the string-or-array choices.
        prop_assert!(serde_json::from_str::<serde_json::Value>(&a).is_ok(), "{a}");
        prop_assert!(serde_json::from_str::<serde_json::Value>(&b).is_ok(), "{b}");
        for (name, context) in contexts() {
            let ra = check(&a, kind, &context);
            let rb = check(&b, kind, &context);
            prop_assert_eq!(
                codes(&ra),
                codes(&rb),
                "{} as {} with {}:\n{}\n---\n{}\n{:#?}\n{:#?}",
                "codes differ", kind, name, a, b, ra.findings, rb.findings
            );
            // With a map reordered, a finding about the whole map may point at another member.
            if first.shuffle_maps || second.shuffle_maps {
                continue;
            }
            prop_assert_eq!(
                located(&ra),
                located(&rb),
                "{} as {} with {}:\n{}\n---\n{}\n{:#?}\n{:#?}",
                "pointers differ", kind, name, a, b, ra.findings, rb.findings
            );
        }
    }
}

#[test]
fn the_renderer_writes_what_it_is_asked() {
    let doc = Doc {
        version: Some("2012-10-17"),
        statements: vec![Stmt {
            sid: Some("AllowKoreAi"),
            effect: Some("Allow"),
            principal: Some((false, false, vec![("AWS", vec![VENDOR_ROLE])])),
            action: Some((false, vec!["sts:AssumeRole"])),
            resource: None,
            condition: vec![(
                "StringEquals",
                vec![("sts:ExternalId", vec!["kore-7f3a9c2e-byok"])],
            )],
        }],
    };
    let compact = Format {
        style: Style::Compact,
        shuffle: false,
        shuffle_maps: false,
        statement_object: true,
        seed: 0,
    };
    let text = render(&doc, compact);
    assert!(text.starts_with(r#"{"Version":"2012-10-17","Statement":{"Sid":"AllowKoreAi""#));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(value["Statement"].is_object());
    let array = render(
        &doc,
        Format {
            statement_object: false,
            ..compact
        },
    );
    assert!(array.contains(r#""Statement":[{"#));
    // The guide's trust policy is clean, however it is written.
    for style in [Style::Compact, Style::Pretty("  "), Style::Odd] {
        for seed in 0..8 {
            let format = Format {
                style,
                shuffle: true,
                shuffle_maps: true,
                statement_object: seed % 2 == 0,
                seed,
            };
            let text = render(&doc, format);
            let report = check(&text, DocumentKind::Trust, &Context::example());
            assert!(report.findings.is_empty(), "{text}\n{:#?}", report.findings);
        }
    }
}
