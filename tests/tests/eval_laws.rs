//! Laws of the IAM evaluator (`byokcheck_core::eval`) over generated policies and requests,
//! through the public API only.
//!
//! `core/src/eval/tests.rs` (module `laws`) already proves, on policies parsed from text:
//! adding a `Deny` never grants more, adding an `Allow` never grants less, statement order does
//! not matter, and the decision is an implicit deny exactly when no statement applies. This
//! file adds the laws issue 8 asks for that were missing:
//!
//! - removing a condition (the whole `Condition` block, or one entry of it) from an `Allow`
//!   statement never grants less;
//! - a request that matches nothing is denied: a request for an action that no statement's
//!   `Action` names (and no `NotAction` or wildcard can reach) is implicitly denied, whatever
//!   the principal, resource and context.
//!
//! The policies are built as the public typed model ([`Policy`], [`Statement`]...), the way a
//! caller of `byokcheck_core::eval` holds them; spans are irrelevant to evaluation and left
//! empty.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failing test"
)]

use byokcheck_core::catalog;
use byokcheck_core::eval::{
    evaluate, statement_applies, Decision, PrincipalMode, PrincipalRef, Request, RequestContext,
};
use byokcheck_core::policy::{
    ConditionBlock, ConditionEntry, ConditionValue, ListElement, Operator, Policy,
    PrincipalElement, PrincipalEntry, PrincipalKind, PrincipalValue, Statement, Str, Strings,
    ValueType,
};
use byokcheck_core::Span;
use proptest::prelude::*;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";
const ROLE: &str = "arn:aws:iam::111122223333:role/BYOK_Role";
const VENDOR: &str = "arn:aws:iam::358587034707:role/SegBots-Servers-Role";

const EFFECTS: [Option<&str>; 5] = [
    Some("Allow"),
    Some("Deny"),
    Some("Allow"),
    None,
    Some("allow"),
];
const ACTIONS: [&str; 9] = [
    "kms:Decrypt",
    "kms:*",
    "kms:Encrypt",
    "*",
    "kms:GenerateDataKey*",
    "KMS:decrypt",
    "sts:AssumeRole",
    "sts:*",
    "s3:?etObject",
];
const RESOURCES: [&str; 6] = [
    "*",
    KEY,
    "arn:aws:kms:*:111122223333:key/*",
    OTHER_KEY,
    ROLE,
    "arn:aws:s3:::home/${aws:username}/*",
];
const PRINCIPALS: [(PrincipalKind, &str); 7] = [
    (PrincipalKind::Aws, "arn:aws:iam::358587034707:root"),
    (PrincipalKind::Aws, "358587034707"),
    (PrincipalKind::Aws, VENDOR),
    (PrincipalKind::Aws, "arn:aws:iam::111122223333:role/Other"),
    (PrincipalKind::Aws, "*"),
    (PrincipalKind::Service, "kms.amazonaws.com"),
    (PrincipalKind::Federated, "accounts.google.com"),
];
/// `(operator, key, values)`; a value `true`/`false` under `Bool` is written as a JSON boolean.
const CONDITIONS: [(&str, &str, &[&str]); 12] = [
    ("StringEquals", "sts:ExternalId", &["tenant-42"]),
    ("StringEqualsIfExists", "sts:ExternalId", &["tenant-42"]),
    ("StringNotEquals", "sts:ExternalId", &["tenant-42"]),
    (
        "ForAllValues:StringEquals",
        "sts:ExternalId",
        &["tenant-42", "other"],
    ),
    ("ForAnyValue:StringLike", "sts:ExternalId", &["tenant-*"]),
    ("Null", "sts:ExternalId", &["false"]),
    ("Null", "sts:ExternalId", &["true"]),
    ("StringLike", "sts:ExternalId", &["tenant-*"]),
    ("Bool", "aws:SecureTransport", &["true"]),
    (
        "ArnLike",
        "aws:PrincipalArn",
        &["arn:aws:iam::358587034707:role/*"],
    ),
    ("StringEquals", "aws:PrincipalAccount", &["358587034707"]),
    ("StringEqualz", "sts:ExternalId", &["tenant-42"]),
];

const REQUEST_ACTIONS: [&str; 6] = [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKeyPair",
    "sts:AssumeRole",
    "s3:GetObject",
    "iam:PassRole",
];
const REQUEST_RESOURCES: [&str; 4] = [KEY, OTHER_KEY, ROLE, "arn:aws:s3:::home/alice/x"];
const CALLERS: [&str; 4] = [
    VENDOR,
    "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/s",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:role/Stranger",
];
const MODES: [PrincipalMode; 3] = [
    PrincipalMode::Identity,
    PrincipalMode::Resource,
    PrincipalMode::Trust,
];

// ---------------------------------------------------------------------------------------------
// Generated statements and requests, as indices into the pools (so that they shrink well)

#[derive(Debug, Clone)]
struct GenStatement {
    effect: usize,
    not_action: bool,
    actions: Vec<usize>,
    resource: Option<(bool, Vec<usize>)>,
    principal: Option<(bool, Vec<usize>)>,
    conditions: Vec<usize>,
}

#[derive(Debug, Clone)]
struct GenRequest {
    action: usize,
    resource: usize,
    caller: Option<usize>,
    external_id: Option<usize>,
    secure: Option<bool>,
    mode: usize,
}

fn statement() -> impl Strategy<Value = GenStatement> {
    (
        0..EFFECTS.len(),
        prop::bool::weighted(0.15),
        prop::collection::vec(0..ACTIONS.len(), 1..3),
        prop::option::weighted(
            0.9,
            (
                prop::bool::weighted(0.15),
                prop::collection::vec(0..RESOURCES.len(), 1..3),
            ),
        ),
        prop::option::weighted(
            0.9,
            (
                prop::bool::weighted(0.1),
                prop::collection::vec(0..PRINCIPALS.len(), 1..3),
            ),
        ),
        prop::collection::vec(0..CONDITIONS.len(), 0..3),
    )
        .prop_map(
            |(effect, not_action, actions, resource, principal, conditions)| GenStatement {
                effect,
                not_action,
                actions,
                resource,
                principal,
                conditions,
            },
        )
}

fn request() -> impl Strategy<Value = GenRequest> {
    (
        0..REQUEST_ACTIONS.len(),
        0..REQUEST_RESOURCES.len(),
        prop::option::weighted(0.9, 0..CALLERS.len()),
        prop::option::of(0..3usize),
        prop::option::of(any::<bool>()),
        0..MODES.len(),
    )
        .prop_map(
            |(action, resource, caller, external_id, secure, mode)| GenRequest {
                action,
                resource,
                caller,
                external_id,
                secure,
                mode,
            },
        )
}

// ---------------------------------------------------------------------------------------------
// The public model, built from the generated indices

fn s(value: &'static str) -> Str<'static> {
    Str {
        value,
        span: Span::default(),
    }
}

fn strings(values: impl IntoIterator<Item = &'static str>) -> Strings<'static> {
    Strings {
        // The model borrows its lists (a parsed policy's live in the document's arena); these
        // few bytes per generated statement live for the test run.
        items: values.into_iter().map(s).collect::<Vec<_>>().leak(),
        span: Span::default(),
        is_array: true,
    }
}

fn list(negated: bool, values: impl IntoIterator<Item = &'static str>) -> ListElement<'static> {
    ListElement {
        negated,
        key_span: Span::default(),
        values: strings(values),
    }
}

fn principal_key(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Aws => "AWS",
        PrincipalKind::Service => "Service",
        PrincipalKind::Federated => "Federated",
        PrincipalKind::CanonicalUser => "CanonicalUser",
    }
}

fn condition_entry(index: usize) -> ConditionEntry<'static> {
    let (operator, key, values) = CONDITIONS[index];
    let values = values
        .iter()
        .map(|&text| ConditionValue {
            text,
            span: Span::default(),
            value_type: if operator == "Bool" {
                ValueType::Boolean
            } else {
                ValueType::String
            },
        })
        .collect();
    ConditionEntry {
        operator: s(operator),
        parsed: Operator::parse(operator),
        key: s(key),
        key_info: catalog::condition_key(key),
        values,
        values_span: Span::default(),
        values_is_array: true,
    }
}

fn build_statement(index: usize, g: &GenStatement) -> Statement<'static> {
    let principal = g.principal.as_ref().map(|(negated, picks)| {
        // Values grouped under their kind's key, kinds in order of first appearance.
        let mut grouped: Vec<(PrincipalKind, Vec<&'static str>)> = Vec::new();
        for &i in picks {
            let (kind, value) = PRINCIPALS[i];
            match grouped.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, values)) => values.push(value),
                None => grouped.push((kind, vec![value])),
            }
        }
        let entries: Vec<PrincipalEntry<'static>> = grouped
            .into_iter()
            .map(|(kind, values)| PrincipalEntry {
                key: s(principal_key(kind)),
                kind: Some(kind),
                values: strings(values),
            })
            .collect();
        PrincipalElement {
            negated: *negated,
            key_span: Span::default(),
            span: Span::default(),
            value: PrincipalValue::Map(entries),
        }
    });
    let condition = (!g.conditions.is_empty()).then(|| ConditionBlock {
        key_span: Span::default(),
        span: Span::default(),
        entries: g.conditions.iter().map(|&i| condition_entry(i)).collect(),
        empty_operators: Vec::new(),
    });
    Statement {
        index,
        span: Span::default(),
        sid: None,
        effect: EFFECTS[g.effect].map(s),
        principal,
        action: Some(list(g.not_action, g.actions.iter().map(|&i| ACTIONS[i]))),
        resource: g
            .resource
            .as_ref()
            .map(|(negated, picks)| list(*negated, picks.iter().map(|&i| RESOURCES[i]))),
        condition,
    }
}

fn policy(statements: Vec<Statement<'static>>) -> Policy<'static> {
    Policy {
        span: Span::default(),
        version: Some(s("2012-10-17")),
        id: None,
        statement_key: None,
        statements,
        statement_is_array: true,
    }
}

fn build(statements: &[GenStatement]) -> Policy<'static> {
    policy(
        statements
            .iter()
            .enumerate()
            .map(|(i, g)| build_statement(i, g))
            .collect(),
    )
}

fn context_of(r: &GenRequest) -> RequestContext {
    let mut context = RequestContext::new();
    if let Some(secure) = r.secure {
        context.insert("aws:SecureTransport", [secure.to_string()]);
    }
    if let Some(id) = r.external_id {
        context.insert("sts:ExternalId", [["tenant-42", "tenant-43", "other"][id]]);
    }
    context
}

fn request_of<'r>(r: &GenRequest, action: &'r str, context: &'r RequestContext) -> Request<'r> {
    let mut request = Request::new(action, REQUEST_RESOURCES[r.resource], context);
    request.principal = r.caller.map(|c| PrincipalRef::from_arn(CALLERS[c]));
    request
}

/// `(decision, allowing statements, denying statements)`.
fn run(
    policy: &Policy<'_>,
    r: &GenRequest,
    context: &RequestContext,
) -> (Decision, Vec<usize>, Vec<usize>) {
    let request = request_of(r, REQUEST_ACTIONS[r.action], context);
    let evaluation = evaluate(policy, &request, MODES[r.mode]);
    (
        evaluation.decision,
        evaluation.allowed_by,
        evaluation.denied_by,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Removing the whole `Condition` of an `Allow` statement never grants less.
    #[test]
    fn removing_a_condition_block_from_an_allow_never_grants_less(
        mut statements in prop::collection::vec(statement(), 1..5),
        pick in any::<prop::sample::Index>(),
        r in request(),
    ) {
        let target = pick.index(statements.len());
        statements[target].effect = 0;
        let context = context_of(&r);
        let before = run(&build(&statements), &r, &context);
        let mut without = statements.clone();
        without[target].conditions.clear();
        let after = run(&build(&without), &r, &context);
        prop_assert_monotone(&before, &after)?;
    }

    /// Removing one entry (`operator -> key -> values`) of an `Allow` statement's `Condition`
    /// never grants less.
    #[test]
    fn removing_a_condition_entry_from_an_allow_never_grants_less(
        mut statements in prop::collection::vec(statement(), 1..5),
        pick in any::<prop::sample::Index>(),
        entry in any::<prop::sample::Index>(),
        extra in 0..CONDITIONS.len(),
        r in request(),
    ) {
        let target = pick.index(statements.len());
        statements[target].effect = 0;
        statements[target].conditions.push(extra);
        let context = context_of(&r);
        let before = run(&build(&statements), &r, &context);
        let mut without = statements.clone();
        let conditions = &mut without[target].conditions;
        let removed = entry.index(conditions.len());
        conditions.remove(removed);
        let after = run(&build(&without), &r, &context);
        prop_assert_monotone(&before, &after)?;
    }

    /// A request for an action no statement can reach matches nothing and is implicitly
    /// denied, whoever asks for whatever resource with whatever context.
    #[test]
    fn a_request_that_matches_nothing_is_denied(
        mut statements in prop::collection::vec(statement(), 0..5),
        r in request(),
    ) {
        // Keep the positive `Action`s that name a service (no `*`, no `NotAction`): none of
        // them reaches `ec2:RunInstances`.
        for g in &mut statements {
            g.not_action = false;
            g.actions.retain(|&i| ACTIONS[i] != "*");
            if g.actions.is_empty() {
                g.actions.push(0);
            }
        }
        let policy = build(&statements);
        let context = context_of(&r);
        let request = request_of(&r, "ec2:RunInstances", &context);
        let mode = MODES[r.mode];
        let variables = policy.supports_variables();
        for statement in &policy.statements {
            prop_assert!(!statement_applies(statement, &request, mode, variables));
        }
        let evaluation = evaluate(&policy, &request, mode);
        prop_assert_eq!(evaluation.decision, Decision::ImplicitDeny);
        prop_assert!(!evaluation.is_allowed());
        prop_assert!(evaluation.allowed_by.is_empty() && evaluation.denied_by.is_empty());
    }
}

/// `after` grants at least what `before` did: an allowed request stays allowed, an explicit
/// deny stays (the `Deny` statements did not change), and every allowing statement still
/// allows.
fn prop_assert_monotone(
    before: &(Decision, Vec<usize>, Vec<usize>),
    after: &(Decision, Vec<usize>, Vec<usize>),
) -> Result<(), TestCaseError> {
    match before.0 {
        Decision::Allow => prop_assert_eq!(after.0, Decision::Allow),
        Decision::ExplicitDeny => prop_assert_eq!(after.0, Decision::ExplicitDeny),
        Decision::ImplicitDeny => prop_assert_ne!(after.0, Decision::ExplicitDeny),
    }
    prop_assert!(
        before.1.iter().all(|i| after.1.contains(i)),
        "allowing statements {:?} became {:?}",
        before.1,
        after.1
    );
    prop_assert_eq!(&before.2, &after.2, "the denying statements changed");
    Ok(())
}

/// The empty policy denies everything: the base case of the laws above.
#[test]
fn an_empty_policy_denies() {
    let context = RequestContext::new().with("sts:ExternalId", "tenant-42");
    for mode in MODES {
        for action in REQUEST_ACTIONS {
            let request = Request::new(action, KEY, &context).by(PrincipalRef::from_arn(VENDOR));
            let evaluation = evaluate(&policy(Vec::new()), &request, mode);
            assert_eq!(evaluation.decision, Decision::ImplicitDeny);
        }
    }
}

/// The built model evaluates as the parsed one does: the guide's trust statement allows the
/// vendor with the External ID and nobody without it.
#[test]
fn the_built_model_evaluates_like_a_parsed_policy() {
    let trust = GenStatement {
        effect: 0,
        not_action: false,
        actions: vec![6],
        resource: None,
        principal: Some((false, vec![2])),
        conditions: vec![0],
    };
    let policy = build(&[trust]);
    let with = RequestContext::new().with("sts:ExternalId", "tenant-42");
    let without = RequestContext::new();
    let vendor = PrincipalRef::from_arn(VENDOR);
    let allowed = Request::new("sts:AssumeRole", ROLE, &with).by(vendor);
    let denied = Request::new("sts:AssumeRole", ROLE, &without).by(vendor);
    assert!(evaluate(&policy, &allowed, PrincipalMode::Trust).is_allowed());
    assert_eq!(
        evaluate(&policy, &denied, PrincipalMode::Trust).decision,
        Decision::ImplicitDeny
    );
}
