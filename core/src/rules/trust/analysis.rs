//! The requests the trust rules evaluate, and the diagnosis that names each outcome's cause.
//!
//! Three phases, each one diagnosis shared by the rules of the phase, so that one problem gets
//! one finding and the generic rules (T001, T003) fire only for what no specific rule explains:
//! - [`Phase::Vendor`]: the vendor's role presenting the console's External ID must be allowed;
//!   when it is not, the deciding statement (a Deny) or the closest Allow statement (its
//!   failing condition entries, or its principal and action) says why.
//! - [`Phase::Bypass`]: the vendor's role with no External ID, with another one, and with each
//!   value the policy's own `sts:ExternalId` conditions would accept, must be refused; each
//!   statement that lets such a request in is diagnosed.
//! - [`Phase::Others`]: nobody but the vendor's role may assume the role, even presenting the
//!   right External ID (it is not a secret): anonymous, another account's role, another role of
//!   the vendor's account, a role of the customer's own account, a role that an
//!   `aws:PrincipalArn` wildcard admits, a trusted service.

use std::collections::BTreeSet;

use crate::context::external_id_problem;
use crate::eval::{
    action_element_matches, arn_matches, condition_holds, evaluate, principal_matches,
    resource_element_matches, statement_match, value_matches, wildcard_matches, Decision,
    Evaluation, PrincipalMatch, PrincipalMode, PrincipalRef, Request, RequestContext,
};
use crate::policy::{
    BaseOperator, Checked, ConditionEntry, ConditionValue, Effect, Family, Operator, Policy,
    PrincipalKind, SetQualifier, Statement, Str,
};
use crate::rules::Rule;
use crate::source::Span;

use super::{
    external_id_for_all_values, external_id_if_exists, external_id_key_misspelt,
    external_id_mismatch, external_id_negated_or_null, external_id_not_required,
    external_id_wildcard, mfa_required, missing_external_id_condition, multiple_external_ids,
    not_principal_allow, other_principal_trusted, principal_arn_wildcard, public_trust,
    unconditioned_second_statement, vendor_account_trusted, vendor_cannot_assume,
};

pub(super) const ASSUME_ROLE: &str = "sts:AssumeRole";
pub(super) const EXTERNAL_ID: &str = "sts:ExternalId";
/// The External ID byokcheck presents as "someone else's": valid for STS, unlikely to be chosen.
const OTHER_ID: &str = "byokcheck-other-tenant";
const ATTACKER_ACCOUNT: &str = "999988887777";

/// Keys IAM puts in the request of a role session calling `sts:AssumeRole` (the vendor's
/// platform calls with its role's temporary credentials, over TLS, without MFA).
const SESSION_KEYS: [(&str, &str); 5] = [
    ("aws:PrincipalType", "AssumedRole"),
    ("aws:MultiFactorAuthPresent", "false"),
    ("aws:SecureTransport", "true"),
    ("aws:PrincipalIsAWSService", "false"),
    ("aws:ViaAWSService", "false"),
];

/// Which diagnosis a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Vendor,
    Bypass,
    Others,
}

/// One finding before it is reported, with the statement it is about.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub rule: &'static Rule,
    pub statement: Option<usize>,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(
        rule: &'static Rule,
        statement: Option<&Statement<'_>>,
        span: Span,
        message: String,
        help: String,
    ) -> Self {
        Self {
            rule,
            statement: statement.map(|s| s.index),
            span,
            message,
            help: Some(help),
        }
    }
}

/// The policy and the context parts every evaluation needs.
pub(super) struct Setup<'a> {
    pub policy: &'a Policy<'a>,
    /// The vendor's service role ARN.
    pub vendor: &'a str,
    pub vendor_account: &'a str,
    pub partition: &'a str,
    /// The External ID the vendor's console shows.
    pub external_id: &'a str,
    /// The customer's role ARN, else `*`.
    pub resource: &'a str,
    pub customer_account: Option<&'a str>,
    pub variables: bool,
}

impl<'a> Setup<'a> {
    /// `None` when the vendor's role or the External ID is missing (C001 says so).
    pub fn new(doc: &'a Checked<'_>) -> Option<Self> {
        let vendor = doc.context.vendor_role_arn()?;
        let external_id = doc.context.external_id()?;
        let role = doc.context.role_arn();
        Some(Self {
            policy: doc.policy,
            vendor,
            vendor_account: vendor.split(':').nth(4).unwrap_or_default(),
            partition: vendor
                .split(':')
                .nth(1)
                .filter(|p| !p.is_empty())
                .unwrap_or("aws"),
            external_id,
            resource: role.unwrap_or("*"),
            customer_account: role
                .and_then(|r| r.split(':').nth(4))
                .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())),
            variables: doc.policy.supports_variables(),
        })
    }

    pub fn vendor_ref(&self) -> PrincipalRef<'a> {
        PrincipalRef::from_arn(self.vendor)
    }

    /// The request context of a role session presenting `external_id` (none when `None`).
    pub fn context(&self, external_id: Option<&str>) -> RequestContext {
        let mut context = RequestContext::new();
        for (key, value) in SESSION_KEYS {
            context.insert(key, [value]);
        }
        if let Some(id) = external_id {
            context.insert(EXTERNAL_ID, [id]);
        }
        context
    }

    pub fn request<'r>(
        &'r self,
        caller: Option<PrincipalRef<'r>>,
        action: &'r str,
        context: &'r RequestContext,
    ) -> Request<'r> {
        Request {
            principal: caller,
            action,
            resource: self.resource,
            context,
        }
    }

    pub fn evaluate(&self, request: &Request<'_>) -> Evaluation {
        evaluate(self.policy, request, PrincipalMode::Trust)
    }

    pub fn statement(&self, index: usize) -> Option<&'a Statement<'a>> {
        self.policy.statements.iter().find(|s| s.index == index)
    }

    pub fn allow_statements(&self) -> impl Iterator<Item = &'a Statement<'a>> {
        self.policy.statements.iter().filter(|s| is_allow(s))
    }

    /// `"sts:ExternalId": "<console id>"`, as help texts write it.
    pub fn id_pair(&self) -> String {
        format!("\"{EXTERNAL_ID}\": \"{}\"", self.external_id)
    }

    /// The condition operator and key to write: `"StringEquals": {"sts:ExternalId": "…"}`.
    pub fn id_condition(&self) -> String {
        format!("\"StringEquals\": {{{}}}", self.id_pair())
    }

    /// The principal to write: `"Principal": {"AWS": "<vendor role>"}`.
    pub fn vendor_principal(&self) -> String {
        format!("\"Principal\": {{\"AWS\": \"{}\"}}", self.vendor)
    }
}

pub(super) fn is_allow(statement: &Statement<'_>) -> bool {
    statement.effect() == Some(Effect::Allow)
}

/// True when the statement's principal names `caller` (conditions aside).
pub(super) fn names(statement: &Statement<'_>, caller: &PrincipalRef<'_>) -> bool {
    statement
        .principal
        .as_ref()
        .and_then(|p| principal_matches(p, Some(caller)))
        .is_some()
}

/// True when the statement's `Action`/`NotAction` covers `action`.
pub(super) fn covers(statement: &Statement<'_>, action: &str) -> bool {
    statement
        .action
        .as_ref()
        .is_some_and(|a| action_element_matches(a, action))
}

/// How a condition key relates to `sts:ExternalId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IdKey {
    /// `sts:ExternalId` in any case (condition keys are case-insensitive).
    Exact,
    /// A near miss that IAM reads as another key, which STS never sets (`sts:ExternalIds`,
    /// `aws:ExternalId`, `sts:Externalld`, `sts:External_Id`).
    Misspelt,
}

pub(super) fn id_key(key: &str) -> Option<IdKey> {
    if key.eq_ignore_ascii_case("sts:ExternalId") {
        return Some(IdKey::Exact);
    }
    // A key IAM knows is never a misspelling of this one.
    if crate::catalog::condition_key(key).is_some() {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    let name = lower.rsplit(':').next().unwrap_or_default();
    let squashed: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    let misspelt = squashed == "externalid"
        || squashed == "externalids"
        || crate::suggest::damerau_within(lower.trim(), "sts:externalid", 2)
        || (squashed.len() >= 8 && crate::suggest::damerau_within(&squashed, "externalid", 1));
    misspelt.then_some(IdKey::Misspelt)
}

/// The statement's condition entries on `sts:ExternalId` or a misspelling of it.
pub(super) fn id_entries<'s, 'a>(
    statement: &'s Statement<'a>,
) -> impl Iterator<Item = (&'s ConditionEntry<'a>, IdKey)> + 's {
    statement
        .condition_entries()
        .iter()
        .filter_map(|entry| Some((entry, id_key(entry.key.value)?)))
}

pub(super) fn is_mfa_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
        || key.eq_ignore_ascii_case("aws:MultiFactorAuthAge")
}

/// True when the entry compares the key's value (a String or ARN operator that is not
/// negated), so that a different value makes it fail.
fn requires_value(operator: Operator) -> bool {
    !operator.base.is_negated() && matches!(operator.base.family(), Family::String | Family::Arn)
}

/// `a`, `b` and `c`, each in backticks.
pub(super) fn listing<'v>(values: impl IntoIterator<Item = &'v str>) -> String {
    let quoted: Vec<String> = values.into_iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The entry's values, for messages.
pub(super) fn entry_values(entry: &ConditionEntry<'_>) -> String {
    listing(entry.values.iter().map(|v| v.text))
}

/// Span for a statement-level finding: its `Condition` key when it has one, else the statement.
pub(super) fn condition_or_statement(statement: &Statement<'_>) -> Span {
    statement
        .condition
        .as_ref()
        .map_or(statement.span, |c| c.key_span)
}

pub(super) fn diagnose(doc: &Checked<'_>, phase: Phase) -> Vec<Problem> {
    let Some(setup) = Setup::new(doc) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    match phase {
        Phase::Vendor => vendor_phase(&setup, &mut problems),
        Phase::Bypass => bypass_phase(&setup, &mut problems),
        Phase::Others => others_phase(&setup, &mut problems),
    }
    let mut seen = BTreeSet::new();
    problems.retain(|p| seen.insert((p.rule.meta.code, p.span)));
    problems
}

// -------------------------------------------------------------------------------------------
// The vendor presenting the console's External ID

fn vendor_phase(s: &Setup<'_>, out: &mut Vec<Problem>) {
    let context = s.context(Some(s.external_id));
    let request = s.request(Some(s.vendor_ref()), ASSUME_ROLE, &context);
    let evaluation = s.evaluate(&request);
    match evaluation.decision {
        Decision::Allow => {}
        Decision::ExplicitDeny => {
            for statement in evaluation.denied_by.iter().filter_map(|&i| s.statement(i)) {
                denied(s, statement, out);
            }
        }
        Decision::ImplicitDeny => refused(s, &request, out),
    }
}

/// Why an applying Deny statement applies to the vendor's request.
fn denied(s: &Setup<'_>, statement: &Statement<'_>, out: &mut Vec<Problem>) {
    let before = out.len();
    for entry in statement.condition_entries() {
        let Some(operator) = entry.parsed else {
            continue;
        };
        match id_key(entry.key.value) {
            Some(IdKey::Exact)
                if operator.base.is_negated() && operator.base.family() == Family::String =>
            {
                out.push(external_id_mismatch::denied(s, statement, entry));
            }
            Some(IdKey::Misspelt) => {
                out.push(external_id_key_misspelt::problem(s, statement, entry, true));
            }
            _ if is_mfa_key(entry.key.value) => {
                out.push(mfa_required::problem(s, statement, entry, true));
            }
            _ => {}
        }
    }
    if out.len() == before {
        out.push(vendor_cannot_assume::denied(s, statement));
    }
}

/// Why no Allow statement applies to the vendor's request.
fn refused(s: &Setup<'_>, request: &Request<'_>, out: &mut Vec<Problem>) {
    let vendor = s.vendor_ref();
    let resource_ok = |statement: &Statement<'_>| {
        statement
            .resource
            .as_ref()
            .is_none_or(|r| resource_element_matches(r, request, s.variables))
    };
    let failing = |statement: &'_ Statement<'_>| -> usize {
        statement
            .condition_entries()
            .iter()
            .filter(|e| !condition_holds(e, request, s.variables))
            .count()
    };
    let best = s
        .allow_statements()
        .filter(|st| names(st, &vendor) && covers(st, ASSUME_ROLE) && resource_ok(st))
        .min_by_key(|st| failing(st));
    if let Some(statement) = best {
        for entry in statement.condition_entries() {
            if !condition_holds(entry, request, s.variables) {
                out.push(refusal(s, statement, entry, request));
            }
        }
        return;
    }
    // T018 explains a trust in one session of the vendor's role.
    if s.allow_statements()
        .any(|st| covers(st, ASSUME_ROLE) && trusts_vendor_session(s, st))
    {
        return;
    }
    if let Some(statement) = s.allow_statements().find(|st| names(st, &vendor)) {
        out.push(vendor_cannot_assume::wrong_action(
            s,
            statement,
            covers(statement, ASSUME_ROLE),
        ));
        return;
    }
    out.push(vendor_cannot_assume::untrusted(s));
}

/// The finding for a condition entry that refuses the vendor's request.
fn refusal(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    request: &Request<'_>,
) -> Problem {
    match (id_key(entry.key.value), entry.parsed) {
        (Some(IdKey::Exact), Some(operator)) if requires_value(operator) => {
            external_id_mismatch::problem(s, statement, entry)
        }
        (Some(IdKey::Misspelt), _) => external_id_key_misspelt::problem(s, statement, entry, false),
        _ if is_mfa_key(entry.key.value) => mfa_required::problem(s, statement, entry, false),
        _ => vendor_cannot_assume::condition(s, statement, entry, request),
    }
}

/// True when the statement's principal lists a session of the vendor's role
/// (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`).
pub(super) fn trusts_vendor_session(s: &Setup<'_>, statement: &Statement<'_>) -> bool {
    statement.principal.as_ref().is_some_and(|p| {
        !p.negated
            && p.values().any(|(kind, value)| {
                kind == Some(PrincipalKind::Aws) && is_session_of(value.value, s.vendor)
            })
    })
}

/// True when `session` is an assumed-role session of the role `role` (name and account).
pub(super) fn is_session_of(session: &str, role: &str) -> bool {
    let Some(session_role) = PrincipalRef::from_arn(session).role_arn() else {
        return false;
    };
    let name = |arn: &str| arn.rsplit('/').next().map(str::to_string);
    let account = |arn: &str| arn.split(':').nth(4).map(str::to_string);
    name(&session_role) == name(role) && account(&session_role) == account(role)
}

// -------------------------------------------------------------------------------------------
// The vendor without the console's External ID

/// A request of the vendor's role that must be refused.
enum Probe<'a> {
    /// No External ID at all.
    NoId,
    /// An External ID nobody wrote in the policy.
    OtherId,
    /// An External ID that a `StringLike` pattern of the policy accepts.
    Wildcard {
        entry: Span,
        value: &'a ConditionValue<'a>,
        id: String,
    },
    /// Another value of a condition that also accepts the console's External ID.
    OtherValue { entry: Span, id: &'a str },
}

impl Probe<'_> {
    fn id(&self) -> Option<&str> {
        match self {
            Probe::NoId => None,
            Probe::OtherId => Some(OTHER_ID),
            Probe::Wildcard { id, .. } => Some(id),
            Probe::OtherValue { id, .. } => Some(id),
        }
    }
}

fn bypass_phase(s: &Setup<'_>, out: &mut Vec<Problem>) {
    let vendor = s.vendor_ref();
    let right_context = s.context(Some(s.external_id));
    let right = s.request(Some(vendor), ASSUME_ROLE, &right_context);
    let mut probes = vec![Probe::NoId, Probe::OtherId];
    for statement in s.allow_statements() {
        for (entry, key) in id_entries(statement) {
            let Some(operator) = entry.parsed else {
                continue;
            };
            if key != IdKey::Exact || operator.base.family() != Family::String {
                continue;
            }
            // `StringEqualsIgnoreCase` reads `abc` and `ABC` as one id, not two.
            let ignore_case = matches!(
                operator.base,
                BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
            );
            let same_id = |a: &str, b: &str| {
                if ignore_case {
                    a.eq_ignore_ascii_case(b)
                } else {
                    a == b
                }
            };
            let distinct: BTreeSet<std::borrow::Cow<'_, str>> = entry
                .values
                .iter()
                .map(|v| match ignore_case {
                    true => std::borrow::Cow::Owned(v.text.to_ascii_lowercase()),
                    false => std::borrow::Cow::Borrowed(v.text),
                })
                .collect();
            let accepts_right = condition_holds(entry, &right, s.variables);
            for value in &entry.values {
                if crate::policy::holds_variable_start(value.text) {
                    continue;
                }
                if operator.base == BaseOperator::StringLike
                    && crate::policy::has_wildcard(value.text)
                {
                    if let Some(id) = instance_of(value.text, s.external_id) {
                        probes.push(Probe::Wildcard {
                            entry: entry.key.span,
                            value,
                            id,
                        });
                    }
                } else if requires_value(operator)
                    && accepts_right
                    && distinct.len() > 1
                    && !same_id(value.text, s.external_id)
                    && external_id_problem(value.text).is_none()
                {
                    probes.push(Probe::OtherValue {
                        entry: entry.key.span,
                        id: value.text,
                    });
                }
            }
        }
    }
    let mut found = Vec::new();
    for probe in &probes {
        let context = s.context(probe.id());
        let request = s.request(Some(vendor), ASSUME_ROLE, &context);
        let evaluation = s.evaluate(&request);
        if !evaluation.is_allowed() {
            continue;
        }
        for statement in evaluation.allowed_by.iter().filter_map(|&i| s.statement(i)) {
            found.extend(bypass(s, statement, probe, &request));
        }
    }
    // The generic rule only for statements no specific rule explains.
    let explained: BTreeSet<Option<usize>> = found
        .iter()
        .filter(|p| p.rule.meta.code != external_id_not_required::RULE.meta.code)
        .map(|p| p.statement)
        .collect();
    found.retain(|p| {
        p.rule.meta.code != external_id_not_required::RULE.meta.code
            || !explained.contains(&p.statement)
    });
    out.extend(found);
}

/// Why `statement` lets the vendor's `request` (made as `probe`) in.
fn bypass(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    probe: &Probe<'_>,
    request: &Request<'_>,
) -> Vec<Problem> {
    let entries: Vec<(&ConditionEntry<'_>, IdKey)> = id_entries(statement).collect();
    if entries.is_empty() {
        let protected = s.allow_statements().find(|other| {
            other.index != statement.index && id_entries(other).any(|(_, key)| key == IdKey::Exact)
        });
        return vec![match protected {
            Some(protected) => unconditioned_second_statement::problem(s, statement, protected),
            None => missing_external_id_condition::problem(s, statement),
        }];
    }
    // The entry a probe was built from, when it is in this statement.
    let probed = match probe {
        Probe::Wildcard { entry, .. } | Probe::OtherValue { entry, .. } => entries
            .iter()
            .find(|(e, _)| e.key.span == *entry)
            .map(|(e, _)| *e),
        Probe::NoId | Probe::OtherId => None,
    };
    let mut found = Vec::new();
    match (probe, probed) {
        (Probe::Wildcard { value, id, .. }, Some(entry)) => {
            found.push(external_id_wildcard::problem(
                s, statement, entry, value, id,
            ));
        }
        (Probe::OtherValue { .. }, Some(entry)) => {
            found.push(multiple_external_ids::problem(s, statement, entry));
        }
        _ => {
            for (entry, key) in &entries {
                if condition_holds(entry, request, s.variables) {
                    found.extend(cause(s, statement, entry, *key, request));
                }
            }
        }
    }
    if found.is_empty() {
        found.push(external_id_not_required::problem(s, statement, probe.id()));
    }
    found
}

/// The specific rule that explains why `entry` holds for a request without the console's id.
fn cause(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    key: IdKey,
    request: &Request<'_>,
) -> Option<Problem> {
    let operator = entry.parsed?;
    let absent = key == IdKey::Misspelt || request.context.get(EXTERNAL_ID).is_none();
    if absent {
        if operator.if_exists {
            return Some(external_id_if_exists::problem(s, statement, entry, key));
        }
        if operator.qualifier == Some(SetQualifier::ForAllValues) {
            return Some(external_id_for_all_values::problem(
                s, statement, entry, key,
            ));
        }
    } else if operator.base == BaseOperator::StringLike {
        let id = request
            .context
            .get(EXTERNAL_ID)
            .and_then(|v| v.first())
            .map(String::as_str)
            .unwrap_or_default();
        if let Some(value) = entry.values.iter().find(|v| {
            crate::policy::has_wildcard(v.text)
                && !crate::policy::holds_variable_start(v.text)
                && wildcard_matches(v.text, id, false)
        }) {
            return Some(external_id_wildcard::problem(
                s, statement, entry, value, id,
            ));
        }
    }
    if operator.base == BaseOperator::Null || operator.base.is_negated() {
        return Some(external_id_negated_or_null::problem(
            s, statement, entry, key,
        ));
    }
    None
}

/// A concrete External ID that the `StringLike` pattern accepts, other than `except`.
pub(super) fn instance_of(pattern: &str, except: &str) -> Option<String> {
    [("x1", 'x'), ("y2", 'y'), ("", 'z')]
        .into_iter()
        .map(|(star, question)| {
            pattern.chars().fold(String::new(), |mut out, c| {
                match c {
                    '*' => out.push_str(star),
                    '?' => out.push(question),
                    c => out.push(c),
                }
                out
            })
        })
        .find(|id| {
            id != except
                && external_id_problem(id).is_none()
                && wildcard_matches(pattern, id, false)
        })
}

// -------------------------------------------------------------------------------------------
// Everyone else, presenting the console's External ID

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CallerKind {
    Anonymous,
    /// A role of an account that has nothing to do with the setup.
    Foreign,
    /// Another role of the vendor's account.
    VendorAccount,
    /// A role of the customer's own account.
    CustomerAccount,
    /// A principal the policy names, or a role of an account it names.
    Named,
    /// A role an `aws:PrincipalArn` pattern admits.
    Pattern,
    /// An AWS service the policy names.
    Service,
}

pub(super) struct Caller {
    pub kind: CallerKind,
    /// The role ARN, or the service name.
    pub name: String,
}

impl Caller {
    fn principal(&self) -> Option<PrincipalRef<'_>> {
        match self.kind {
            CallerKind::Anonymous => None,
            CallerKind::Service => Some(PrincipalRef::service(&self.name)),
            _ => Some(PrincipalRef::from_arn(&self.name)),
        }
    }

    pub fn account(&self) -> &str {
        self.name.split(':').nth(4).unwrap_or_default()
    }

    /// How messages name the caller.
    pub fn describe(&self) -> String {
        match self.kind {
            CallerKind::Anonymous => "an anonymous caller".to_string(),
            _ => format!("`{}`", self.name),
        }
    }
}

fn callers(s: &Setup<'_>) -> Vec<Caller> {
    let role =
        |account: &str, name: &str| format!("arn:{}:iam::{account}:role/{name}", s.partition);
    let vendor_name = s.vendor.rsplit('/').next().unwrap_or_default();
    let other_name = if vendor_name == "Other" {
        "OtherRole"
    } else {
        "Other"
    };
    let mut callers = vec![
        Caller {
            kind: CallerKind::Anonymous,
            name: String::new(),
        },
        Caller {
            kind: CallerKind::Foreign,
            name: role(ATTACKER_ACCOUNT, "Attacker"),
        },
        Caller {
            kind: CallerKind::VendorAccount,
            name: role(s.vendor_account, other_name),
        },
    ];
    if let Some(customer) = s.customer_account.filter(|c| *c != s.vendor_account) {
        callers.push(Caller {
            kind: CallerKind::CustomerAccount,
            name: role(customer, other_name),
        });
    }
    for statement in s.allow_statements() {
        for entry in statement.condition_entries() {
            if !entry.key.value.eq_ignore_ascii_case("aws:PrincipalArn") {
                continue;
            }
            for value in entry
                .values
                .iter()
                .filter(|v| crate::policy::has_wildcard(v.text))
            {
                // Always its own caller, even when a generic caller above already matches the
                // pattern: a Deny may turn that one away while the pattern still admits others.
                // Findings are deduplicated per span, so a pattern both admit is reported once.
                if let Some(name) = arn_instance(value.text, s.vendor)
                    .filter(|name| !callers.iter().any(|c| &c.name == name))
                {
                    callers.push(Caller {
                        kind: CallerKind::Pattern,
                        name,
                    });
                }
            }
        }
        if let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) {
            for (kind, value) in principal.values() {
                let value = value.value;
                // A near miss of the vendor's role is T001's finding, not another principal.
                if crate::policy::has_wildcard(value)
                    || crate::suggest::levenshtein_within(value, s.vendor, 3)
                    || is_session_of(value, s.vendor)
                {
                    continue;
                }
                let caller = match kind {
                    Some(PrincipalKind::Service) => Caller {
                        kind: CallerKind::Service,
                        name: value.to_string(),
                    },
                    Some(PrincipalKind::Aws) => {
                        let account =
                            if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
                                Some(value)
                            } else {
                                value
                                    .strip_suffix(":root")
                                    .and_then(|v| v.split(':').nth(4))
                            };
                        let name = match account {
                            Some(account) => role(account, other_name),
                            // A unique id (`AROA…`) names a deleted role: nobody gets in by it.
                            None if !value.starts_with("arn:") => continue,
                            None => value.to_string(),
                        };
                        Caller {
                            kind: CallerKind::Named,
                            name,
                        }
                    }
                    _ => continue,
                };
                if !callers.iter().any(|c| c.name == caller.name) {
                    callers.push(caller);
                }
            }
        }
    }
    callers
}

/// True when the `aws:PrincipalArn` entry's wildcard `pattern` admits the role `arn`.
pub(super) fn pattern_admits(entry: &ConditionEntry<'_>, pattern: &str, arn: &str) -> bool {
    match entry.parsed.map(|o| o.base) {
        Some(BaseOperator::ArnLike | BaseOperator::ArnEquals) => arn_matches(pattern, arn),
        Some(BaseOperator::StringLike) => wildcard_matches(pattern, arn, false),
        _ => false,
    }
}

/// A role ARN that the `aws:PrincipalArn` pattern admits, other than `except`.
fn arn_instance(pattern: &str, except: &str) -> Option<String> {
    [("Attacker", "X", "9"), ("", "Y", "8")]
        .into_iter()
        .map(|(star, question, digit)| {
            pattern
                .splitn(6, ':')
                .enumerate()
                .map(|(i, part)| match i {
                    4 if part == "*" => ATTACKER_ACCOUNT.to_string(),
                    4 => part.replace(['*', '?'], digit),
                    _ => part.replace('*', star).replace('?', question),
                })
                .collect::<Vec<_>>()
                .join(":")
        })
        .find(|arn| arn != except && arn_matches(pattern, arn))
}

fn others_phase(s: &Setup<'_>, out: &mut Vec<Problem>) {
    let mut public = BTreeSet::new();
    for caller in callers(s) {
        // A service cannot pass an External ID; everyone else knows it.
        let id = (caller.kind != CallerKind::Service).then_some(s.external_id);
        let context = s.context(id);
        let request = s.request(caller.principal(), ASSUME_ROLE, &context);
        let evaluation = s.evaluate(&request);
        if !evaluation.is_allowed() {
            continue;
        }
        for statement in evaluation.allowed_by.iter().filter_map(|&i| s.statement(i)) {
            out.extend(intruder(s, statement, &caller, &request, &mut public));
        }
    }
}

/// Why `statement` lets `caller` assume the role.
fn intruder(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    caller: &Caller,
    request: &Request<'_>,
    public: &mut BTreeSet<usize>,
) -> Option<Problem> {
    if !matches!(caller.kind, CallerKind::Anonymous | CallerKind::Service) {
        for entry in statement.condition_entries() {
            if !entry.key.value.eq_ignore_ascii_case("aws:PrincipalArn") {
                continue;
            }
            if let Some(value) = entry.values.iter().find(|v| {
                crate::policy::has_wildcard(v.text) && pattern_admits(entry, v.text, &caller.name)
            }) {
                return Some(principal_arn_wildcard::problem(
                    s, statement, entry, value, caller,
                ));
            }
        }
    }
    let principal = statement.principal.as_ref()?;
    let matched = statement_match(statement, request, PrincipalMode::Trust, s.variables)?;
    let caller_ref = caller.principal();
    let value = principal.values().find(|(kind, value)| {
        value_matches(*kind, value.value, caller_ref.as_ref()) == Some(matched)
    });
    match matched {
        PrincipalMatch::NotListed => Some(not_principal_allow::problem(
            s,
            statement,
            principal.key_span,
            caller,
        )),
        PrincipalMatch::Any => {
            let value: Str<'_> = value?.1;
            if matches!(caller.kind, CallerKind::Anonymous | CallerKind::Foreign) {
                public.insert(statement.index);
                Some(public_trust::problem(s, statement, value, caller))
            } else if public.contains(&statement.index) {
                None
            } else if caller.account() == s.vendor_account {
                Some(vendor_account_trusted::problem(s, statement, value, caller))
            } else {
                Some(other_principal_trusted::problem(
                    s, statement, value, matched, caller,
                ))
            }
        }
        PrincipalMatch::Account if caller.account() == s.vendor_account => Some(
            vendor_account_trusted::problem(s, statement, value?.1, caller),
        ),
        PrincipalMatch::Account | PrincipalMatch::Exact => Some(other_principal_trusted::problem(
            s, statement, value?.1, matched, caller,
        )),
        PrincipalMatch::Unchecked => None,
    }
}

/// The message of T005, T007 and T008 for an entry that holds without the console's id:
/// `{operator} on {key} {why}: the vendor's role can assume the role {how}`, or, for a
/// misspelt key, why it always holds.
pub(super) fn bypass_message(
    entry: &ConditionEntry<'_>,
    key: IdKey,
    why: &str,
    how: &str,
) -> String {
    let (operator, name) = (entry.operator.value, entry.key.value);
    match key {
        IdKey::Exact => {
            format!("`{operator}` on `{name}` {why}: the vendor's role can assume the role {how}")
        }
        IdKey::Misspelt => format!(
            "`{operator}` on `{name}` is always true: `{name}` is not the `{EXTERNAL_ID}` key, so STS never sets it, and the vendor's role can assume the role without an External ID"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::instance_of;

    #[test]
    fn an_instance_is_another_valid_id_the_pattern_accepts() {
        assert_eq!(
            instance_of("kore-*", "kore-abc").as_deref(),
            Some("kore-x1")
        );
        // The first filling is the console's own id: the next one.
        assert_eq!(instance_of("kore-*", "kore-x1").as_deref(), Some("kore-y2"));
        // One character is too short for an External ID, whatever fills it.
        assert_eq!(instance_of("?", "abc"), None);
    }
}
