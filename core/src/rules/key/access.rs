//! The evaluations the key rules share: what the key policy lets the BYOK role, the account
//! root, a key administrator or an outsider do, and why a request of the role fails.
//!
//! Requests are modelled on the vendor's real calls: the BYOK role (the session's role, as
//! `aws:PrincipalArn` reports it) calls KMS directly over TLS from the vendor's own network,
//! with no encryption context unless a rule says otherwise.

use std::borrow::Cow;

use crate::arn::{parse_key_arn, parse_role_arn};
use crate::eval::{
    action_element_matches, condition_holds, evaluate, evaluate_relaxed, principal_matches,
    resource_element_matches, Decision, Evaluation, PrincipalMatch, PrincipalMode, PrincipalRef,
    Request, RequestContext,
};
use crate::generate::BYOK_ACTIONS;
use crate::policy::{
    BaseOperator, Checked, ConditionEntry, Effect, Policy, PrincipalKind, Statement, Str,
};
use crate::source::Span;

use super::layout;

/// The vendor's egress address: a documentation address, in nobody's allow list.
const VENDOR_SOURCE_IP: &str = "203.0.113.10";
/// A principal of an unrelated account, to prove that a statement is open to anyone.
pub(super) const OUTSIDER: &str = "arn:aws:iam::999988887777:role/Attacker";
const OUTSIDER_SOURCE_IP: &str = "198.51.100.66";

/// The cryptographic operations: what "using the key" means.
pub(super) const CRYPTO_ACTIONS: [&str; 13] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:Sign",
    "kms:Verify",
    "kms:GenerateMac",
    "kms:VerifyMac",
    "kms:DeriveSharedSecret",
];

/// Actions that let their holder destroy or lock the key, or change who can use it, with what
/// each lets the vendor do. The grant actions are evaluated as a direct call
/// (`kms:GrantIsForAWSResource` false): with that condition only AWS services can use them.
pub(super) const MANAGEMENT: [(&str, &str); 8] = [
    (
        "kms:ScheduleKeyDeletion",
        "delete the key, and with it every record encrypted under it",
    ),
    (
        "kms:DisableKey",
        "disable the key, stopping every use of it",
    ),
    (
        "kms:PutKeyPolicy",
        "rewrite the key policy and lock you out",
    ),
    ("kms:CreateGrant", "grant use of the key to any principal"),
    (
        "kms:DeleteImportedKeyMaterial",
        "delete the imported key material, making the key unusable",
    ),
    (
        "kms:TagResource",
        "change the tags that tag-based access control reads",
    ),
    (
        "kms:UntagResource",
        "remove the tags that tag-based access control reads",
    ),
    (
        "kms:RevokeGrant",
        "revoke the grants that AWS services rely on",
    ),
];

/// The key and its account as far as the context tells them, and the policy as evaluated.
#[derive(Debug)]
pub(super) struct Scope<'a> {
    /// The document's policy; with no CMK ARN, its `Resource` values read as `*`, since a key
    /// policy can only be about its own key (`resource-not-this-key` judges the values).
    /// Borrowed unless a `Resource` value had to be rewritten.
    pub policy: std::borrow::Cow<'a, Policy<'a>>,
    /// The resource of every request: the CMK ARN, else a key ARN in the role's account.
    pub key: String,
    pub cmk_known: bool,
    /// The key's account: the CMK ARN's, else the Role ARN's.
    pub account: Option<String>,
    pub partition: String,
    /// [`lockout`] of this scope, found on first use: two rules ask, and it evaluates the
    /// policy once per named principal.
    lockout: std::cell::OnceCell<Option<Vec<usize>>>,
}

impl<'a> Scope<'a> {
    /// The document's scope, built once per checked document: thirteen rules share it, and
    /// building it copies the policy.
    pub(super) fn of<'d>(doc: &'d Checked<'a>) -> &'d Scope<'a> {
        doc.memo.key.scope.get_or_init(|| Scope::new(doc))
    }

    /// See [`lockout`]; found once per document.
    pub(super) fn lockout(&self) -> Option<&[usize]> {
        self.lockout.get_or_init(|| lockout(self)).as_deref()
    }

    fn new(doc: &Checked<'a>) -> Self {
        let cmk = doc.context.cmk_arn().and_then(|a| parse_key_arn(a).ok());
        let role = doc.context.role_arn().and_then(|a| parse_role_arn(a).ok());
        let account = cmk
            .as_ref()
            .map(|k| k.account.clone())
            .or_else(|| role.as_ref().map(|r| r.account.clone()));
        let partition = cmk
            .as_ref()
            .map(|k| k.partition.clone())
            .or_else(|| role.as_ref().map(|r| r.partition.clone()))
            .unwrap_or_else(|| "aws".into());
        let mut policy = std::borrow::Cow::Borrowed(doc.policy);
        let key = match &cmk {
            Some(cmk) => cmk.to_string(),
            None => {
                if !any_resource_already(&policy) {
                    any_resource(policy.to_mut(), doc.memo.arena);
                }
                format!(
                    "arn:{partition}:kms:us-east-1:{}:key/00000000-0000-0000-0000-000000000000",
                    account.as_deref().unwrap_or("000000000000")
                )
            }
        };
        Self {
            policy,
            key,
            cmk_known: cmk.is_some(),
            account,
            partition,
            lockout: std::cell::OnceCell::new(),
        }
    }

    pub(super) fn statement(&self, index: usize) -> Option<&Statement<'a>> {
        self.policy.statements.iter().find(|s| s.index == index)
    }

    /// How messages name statement `index` ("the key-users statement `Allow use of the key`").
    pub(super) fn describe(&self, index: usize) -> String {
        self.statement(index).map_or_else(
            || format!("statement {index}"),
            |s| layout::describe(s, self.account.as_deref()),
        )
    }

    pub(super) fn root_arn(&self) -> Option<String> {
        self.account
            .as_ref()
            .map(|a| format!("arn:{}:iam::{a}:root", self.partition))
    }

    pub(super) fn evaluate(
        &self,
        action: &str,
        caller: &str,
        context: &RequestContext,
    ) -> Evaluation {
        let request = Request::new(action, &self.key, context).by(PrincipalRef::from_arn(caller));
        evaluate(&self.policy, &request, PrincipalMode::Resource)
    }

    /// [`Scope::evaluate`] over the statements at `positions` only (see
    /// [`crate::eval::evaluate_among`]).
    pub(super) fn evaluate_among(
        &self,
        positions: &[usize],
        action: &str,
        caller: &str,
        context: &RequestContext,
    ) -> Evaluation {
        let request = Request::new(action, &self.key, context).by(PrincipalRef::from_arn(caller));
        crate::eval::evaluate_among(&self.policy, positions, &request, PrincipalMode::Resource)
    }

    /// The account-root statements, by evaluation: the Allow statements that let the key's
    /// account decide (through IAM) on the key, whatever their conditions. Without a known
    /// account, those naming any root.
    pub(super) fn root_statements(&self) -> Vec<usize> {
        let Some(root) = self.root_arn() else {
            return self
                .policy
                .statements
                .iter()
                .filter(|s| s.effect() == Some(Effect::Allow))
                .filter(|s| layout::names_account_root(s, None))
                .map(|s| s.index)
                .collect();
        };
        let account = self.account.as_deref().unwrap_or_default();
        let context = RequestContext::new().with("kms:CallerAccount", account);
        let mut found: Vec<usize> = BYOK_ACTIONS
            .iter()
            .chain(["kms:PutKeyPolicy"].iter())
            .flat_map(|action| {
                let request =
                    Request::new(action, &self.key, &context).by(PrincipalRef::from_arn(&root));
                evaluate_relaxed(&self.policy, &request, PrincipalMode::Resource).allowed_by_account
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Evaluates `caller`'s `kms:PutKeyPolicy` request, conditions relaxed (see
    /// [`evaluate_relaxed`]): the caller's request context is not known.
    pub(super) fn manage_evaluation(&self, caller: &str) -> Evaluation {
        let principal = PrincipalRef::from_arn(caller);
        let context = RequestContext::new().with("kms:CallerAccount", principal.account);
        let request = Request::new("kms:PutKeyPolicy", &self.key, &context).by(principal);
        evaluate_relaxed(&self.policy, &request, PrincipalMode::Resource)
    }

    /// The KMS actions an unrelated account's principal can call through the Allow statement
    /// `index`, keeping only its conditions that limit who calls (the outsider chooses the
    /// encryption context, the service it calls through, its tags...).
    pub(super) fn public_actions(&self, index: usize) -> Vec<&'static str> {
        let mut policy = Policy::clone(&self.policy);
        for statement in &mut policy.statements {
            if statement.index == index {
                if let Some(block) = statement.condition.as_mut() {
                    block.entries.retain(|e| limits_caller(e.key.value));
                }
            }
        }
        let context = caller_context("999988887777", OUTSIDER_SOURCE_IP);
        let outsider = PrincipalRef::from_arn(OUTSIDER);
        crate::catalog::actions()
            .map(|a| a.name)
            .filter(|name| name.starts_with("kms:"))
            .filter(|name| {
                let request = Request::new(name, &self.key, &context).by(outsider);
                let evaluation = evaluate(&policy, &request, PrincipalMode::Resource);
                evaluation.is_allowed() && evaluation.allowed_by.contains(&index)
            })
            .collect()
    }
}

/// Every `AWS` principal value of the Allow statements that names one principal, with the ARN
/// it is evaluated as (a bare account id as its root ARN): `(statement index, value, caller)`.
/// `"*"`, patterns and unique ids name no one in particular and are left out.
/// The caller borrows the value unless it was a bare account id: nearly every principal is
/// already an ARN, and this runs for every key policy.
pub(super) fn named_principals<'a>(scope: &Scope<'a>) -> Vec<(usize, Str<'a>, Cow<'a, str>)> {
    let mut found = Vec::new();
    for statement in &scope.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        for (kind, value) in principal.values() {
            if kind != Some(PrincipalKind::Aws) || crate::policy::has_wildcard(value.value) {
                continue;
            }
            let caller = if layout::is_account_id(value.value) {
                Cow::Owned(format!("arn:{}:iam::{}:root", scope.partition, value.value))
            } else if value.value.starts_with("arn:") {
                Cow::Borrowed(value.value)
            } else {
                continue;
            };
            found.push((statement.index, value, caller));
        }
    }
    found
}

/// `None` when the account root or a key administrator can change the key policy; else the
/// Deny statements that stop them (empty when nothing allows it in the first place).
fn lockout(scope: &Scope<'_>) -> Option<Vec<usize>> {
    let mut candidates: Vec<Cow<'_, str>> = Vec::new();
    match (&scope.account, scope.root_arn()) {
        (Some(account), Some(root)) => {
            candidates.push(Cow::Owned(root));
            candidates.extend(
                named_principals(scope)
                    .into_iter()
                    .map(|(_, _, caller)| caller)
                    .filter(|c| PrincipalRef::from_arn(c).account == account),
            );
        }
        _ => {
            candidates.extend(named_principals(scope).into_iter().map(|(_, _, c)| c));
            // Stands for anyone, so that `"*"` counts when no principal is named.
            candidates.push(Cow::Borrowed(OUTSIDER));
        }
    }
    let mut denies = Vec::new();
    for candidate in &candidates {
        let evaluation = scope.manage_evaluation(candidate);
        if evaluation.is_allowed() {
            return None;
        }
        if !evaluation.allowed_by.is_empty() {
            denies.extend(evaluation.denied_by);
        }
    }
    denies.sort_unstable();
    denies.dedup();
    Some(denies)
}

/// The span of the account-root principal value in `statement`, if it has one.
pub(super) fn root_value_span(statement: &Statement<'_>) -> Option<Span> {
    statement.principal.as_ref().and_then(|p| {
        p.values()
            .find(|(kind, value)| {
                *kind == Some(PrincipalKind::Aws) && layout::root_account(value.value).is_some()
            })
            .map(|(_, value)| value.span)
    })
}

/// Whether every `Resource` value already reads `*` (as in nearly every key policy), so that
/// the policy need not be copied to rewrite them.
fn any_resource_already(policy: &Policy<'_>) -> bool {
    policy
        .statements
        .iter()
        .filter_map(|s| s.resource.as_ref().filter(|r| !r.negated))
        .all(|r| r.values.items.iter().all(|item| item.value == "*"))
}

/// Reads every `Resource` value as `*`.
fn any_resource<'a>(policy: &mut Policy<'a>, arena: &'a bumpalo::Bump) {
    for statement in &mut policy.statements {
        if let Some(resource) = statement.resource.as_mut().filter(|r| !r.negated) {
            let items = resource.values.items;
            resource.values.items = arena.alloc_slice_fill_iter(items.iter().map(|item| Str {
                value: "*",
                ..*item
            }));
        }
    }
}

/// A context for a principal of `account` calling KMS directly over TLS from `source_ip`.
fn caller_context(account: &str, source_ip: &str) -> RequestContext {
    RequestContext::new()
        .with("kms:CallerAccount", account)
        .with("aws:PrincipalType", "AssumedRole")
        .with("aws:SecureTransport", "true")
        .with("aws:ViaAWSService", "false")
        .with("aws:SourceIp", source_ip)
}

/// A context for a principal of another account (`caller`'s) calling KMS directly.
pub(super) fn other_context(caller: &str) -> RequestContext {
    caller_context(PrincipalRef::from_arn(caller).account, OUTSIDER_SOURCE_IP)
}

/// Condition keys that limit who the caller is or where it calls from: the keys an outsider
/// cannot set to what a statement asks.
fn limits_caller(key: &str) -> bool {
    const KEYS: [&str; 19] = [
        "aws:principalaccount",
        "kms:calleraccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:userid",
        "aws:principalisawsservice",
        "aws:principalservicename",
        "aws:principalservicenameslist",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "aws:sourceip",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:vpcsourceip",
        "aws:sourcevpcarn",
    ];
    KEYS.contains(&key.to_ascii_lowercase().as_str())
}

/// What a condition key is about, for explaining why the vendor's call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ConditionKind {
    /// `kms:EncryptionContext:KEY`, `kms:EncryptionContextKeys`.
    EncryptionContext,
    /// `aws:SourceIp`, `aws:SourceVpc`, `aws:SourceVpce`...
    Network,
    Other,
}

pub(super) fn condition_kind(key: &str) -> ConditionKind {
    let key = key.to_ascii_lowercase();
    if key.starts_with("kms:encryptioncontext:") || key == "kms:encryptioncontextkeys" {
        ConditionKind::EncryptionContext
    } else if [
        "aws:sourceip",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:vpcsourceip",
        "aws:sourcevpcarn",
    ]
    .contains(&key.as_str())
    {
        ConditionKind::Network
    } else {
        ConditionKind::Other
    }
}

/// True for the actions whose requests carry an encryption context (`kms:DescribeKey` does
/// not, so an encryption-context condition never holds for it).
pub(super) fn takes_encryption_context(action: &str) -> bool {
    [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "kms:ReEncrypt",
    ]
    .iter()
    .any(|prefix| action.starts_with(prefix))
}

/// The customer's BYOK role, from the context.
pub(super) struct Byok {
    /// The Role ARN as given (trimmed).
    pub arn: String,
    pub account: String,
    pub partition: String,
    pub name: String,
    /// The organization the policy's `aws:PrincipalOrgID` conditions ask for: the customer's
    /// own, which its own role belongs to.
    pub organization: Option<String>,
}

impl Byok {
    pub(super) fn new(doc: &Checked<'_>) -> Option<Self> {
        let arn = doc.context.role_arn()?;
        let role = parse_role_arn(arn).ok()?;
        let organization = doc
            .policy
            .statements
            .iter()
            .flat_map(|s| s.condition_entries())
            .filter(|e| e.key.value.eq_ignore_ascii_case("aws:PrincipalOrgID"))
            .filter(|e| {
                e.parsed
                    .is_some_and(|op| op.base == BaseOperator::StringEquals)
            })
            .find_map(|e| e.values.first().map(|v| v.text.to_string()));
        Some(Self {
            arn: arn.to_string(),
            account: role.account,
            partition: role.partition,
            name: role.name,
            organization,
        })
    }

    /// The request context of the vendor's call of `action` as this role.
    pub(super) fn context(&self, action: &str) -> RequestContext {
        let mut context = caller_context(&self.account, VENDOR_SOURCE_IP);
        if let Some(organization) = &self.organization {
            context.insert("aws:PrincipalOrgID", [organization.as_str()]);
        }
        if ["kms:CreateGrant", "kms:RevokeGrant", "kms:ListGrants"].contains(&action) {
            context.with("kms:GrantIsForAWSResource", "false")
        } else {
            context
        }
    }

    pub(super) fn principal(&self) -> PrincipalRef<'_> {
        PrincipalRef::from_arn(&self.arn)
    }

    /// How the statement's `Principal` names this role: `Exact` when it lists the role,
    /// `Any` for `"*"`, `Account` for the account root; `None` when not at all or through
    /// `NotPrincipal`.
    pub(super) fn named_by(&self, statement: &Statement<'_>) -> Option<PrincipalMatch> {
        let principal = statement.principal.as_ref().filter(|p| !p.negated)?;
        principal_matches(principal, Some(&self.principal()))
    }

    /// True when `value` is an assumed-role session of this role.
    pub(super) fn is_session(&self, value: &str) -> bool {
        PrincipalRef::from_arn(value).role_arn().as_deref()
            == Some(
                format!(
                    "arn:{}:iam::{}:role/{}",
                    self.partition, self.account, self.name
                )
                .as_str(),
            )
    }

    /// The first `AWS` principal value of the statement equal to this role's ARN.
    pub(super) fn value_in<'a>(&self, statement: &Statement<'a>) -> Option<Str<'a>> {
        statement.principal.as_ref().and_then(|p| {
            p.values()
                .find(|(kind, value)| *kind == Some(PrincipalKind::Aws) && value.value == self.arn)
                .map(|(_, value)| value)
        })
    }
}

/// How the role gets one of the four actions, or why it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// A statement naming the role (or `*`) allows it.
    Direct,
    /// Only the account-root statements (`root`) allow it, leaving the decision to IAM;
    /// `verified` when the given IAM policy allows it, false when no IAM policy was given.
    Delegated {
        root: Vec<usize>,
        verified: bool,
    },
    /// These Deny statements block it.
    Denied(Vec<usize>),
    /// The role's statement allows it only under encryption-context or network conditions
    /// that the vendor's call may not meet (`encryption-context-required`, `network-condition`).
    Conditional,
    Cannot(Reason),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reason {
    /// The key policy leaves it to IAM through `root`, and the IAM policy does not allow it
    /// (`denied_by`: its Deny statements that apply).
    IamDoesNotAllow {
        root: Vec<usize>,
        denied_by: Vec<usize>,
    },
    /// Nothing in the key policy grants it. `iam_allows`: whether the given IAM policy allows
    /// it (to no effect without an account-root statement).
    NotGranted {
        root_present: bool,
        iam_allows: Option<bool>,
    },
}

/// A statement that was meant to grant the role the action and why it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NearMiss {
    pub statement: usize,
    pub cause: Cause,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cause {
    /// The statement names the role and other BYOK actions, but not this one.
    ActionNotListed,
    /// The statement names a session of the role (`value`, at `span`), not the role.
    Session { span: Span, value: String },
    /// The statement's `Resource` is missing or not this key.
    Resource,
    /// These condition entries (indexes into the statement's entries) do not hold.
    Conditions(Vec<usize>),
}

/// What the key rules share for one document: each is evaluated at most once per check.
#[derive(Debug, Default)]
pub(crate) struct KeyMemo<'a> {
    scope: std::cell::OnceCell<Scope<'a>>,
    role_access: std::cell::OnceCell<Vec<ActionAccess>>,
    management_grants: std::cell::OnceCell<Vec<(usize, Vec<&'static str>)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionAccess {
    pub action: &'static str,
    pub verdict: Verdict,
    pub near_miss: Option<NearMiss>,
}

/// How the BYOK role gets each of the four actions on the key, by evaluation of the key policy
/// and, when the whole setup is checked, of the IAM policy.
///
/// Several rules ask; the answer is computed once per checked document (see [`KeyMemo`]).
pub(super) fn role_access(doc: &Checked<'_>, scope: &Scope<'_>, byok: &Byok) -> Vec<ActionAccess> {
    doc.memo
        .key
        .role_access
        .get_or_init(|| compute_role_access(doc, scope, byok))
        .clone()
}

fn compute_role_access(doc: &Checked<'_>, scope: &Scope<'_>, byok: &Byok) -> Vec<ActionAccess> {
    let root_present = !scope.root_statements().is_empty();
    let iam = doc.others.iam.map(|iam| {
        let mut iam = iam.clone();
        if !scope.cmk_known {
            any_resource(&mut iam, doc.memo.arena);
        }
        iam
    });
    BYOK_ACTIONS
        .iter()
        .map(|&action| {
            let context = byok.context(action);
            let request = Request::new(action, &scope.key, &context).by(byok.principal());
            let evaluation = evaluate(&scope.policy, &request, PrincipalMode::Resource);
            if evaluation.decision == Decision::Allow && !evaluation.principal_matched_by_account {
                return ActionAccess {
                    action,
                    verdict: Verdict::Direct,
                    near_miss: None,
                };
            }
            let near_miss = near_miss(scope, byok, &request, action);
            let verdict = if evaluation.decision == Decision::ExplicitDeny {
                Verdict::Denied(evaluation.denied_by)
            } else if near_miss
                .as_ref()
                .is_some_and(|n| explained_by_conditions(scope, n, action))
            {
                Verdict::Conditional
            } else {
                let iam_evaluation = iam
                    .as_ref()
                    .map(|iam| evaluate(iam, &request, PrincipalMode::Identity));
                if evaluation.decision == Decision::Allow {
                    match iam_evaluation {
                        None => Verdict::Delegated {
                            root: evaluation.allowed_by_account,
                            verified: false,
                        },
                        Some(e) if e.is_allowed() => Verdict::Delegated {
                            root: evaluation.allowed_by_account,
                            verified: true,
                        },
                        Some(e) => Verdict::Cannot(Reason::IamDoesNotAllow {
                            root: evaluation.allowed_by_account,
                            denied_by: e.denied_by,
                        }),
                    }
                } else {
                    Verdict::Cannot(Reason::NotGranted {
                        root_present,
                        iam_allows: iam_evaluation.map(|e| e.is_allowed()),
                    })
                }
            };
            ActionAccess {
                action,
                verdict,
                near_miss,
            }
        })
        .collect()
}

/// True when the near miss fails only on conditions the vendor can meet by sending the
/// required encryption context, or that only its network decides.
fn explained_by_conditions(scope: &Scope<'_>, near_miss: &NearMiss, action: &str) -> bool {
    let Cause::Conditions(failing) = &near_miss.cause else {
        return false;
    };
    let Some(statement) = scope.statement(near_miss.statement) else {
        return false;
    };
    let entries = statement.condition_entries();
    !failing.is_empty()
        && failing.iter().all(|&i| {
            entries
                .get(i)
                .is_some_and(|e| match condition_kind(e.key.value) {
                    ConditionKind::Network => true,
                    ConditionKind::EncryptionContext => takes_encryption_context(action),
                    ConditionKind::Other => false,
                })
        })
}

/// The statement that was meant to grant `action` to the role, if one was: it names the role
/// (or a session of it) and fails on the action, the resource or its conditions.
fn near_miss(
    scope: &Scope<'_>,
    byok: &Byok,
    request: &Request<'_>,
    action: &str,
) -> Option<NearMiss> {
    let variables = scope.policy.supports_variables();
    let mut best: Option<(u8, NearMiss)> = None;
    for statement in &scope.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let covers = |action: &str| {
            statement
                .action
                .as_ref()
                .is_some_and(|a| action_element_matches(a, action))
        };
        let resource_ok = statement
            .resource
            .as_ref()
            .is_some_and(|r| resource_element_matches(r, request, variables));
        let failing: Vec<usize> = statement
            .condition_entries()
            .iter()
            .enumerate()
            .filter(|(_, entry)| !condition_holds(entry, request, variables))
            .map(|(i, _)| i)
            .collect();
        let conditions = |rank_if_explained: u8| {
            let near = NearMiss {
                statement: statement.index,
                cause: Cause::Conditions(failing.clone()),
            };
            let rank = if explained_by_conditions(scope, &near, action) {
                rank_if_explained
            } else {
                2
            };
            (rank, near)
        };
        let candidate = match byok.named_by(statement) {
            Some(PrincipalMatch::Exact) if !covers(action) => {
                BYOK_ACTIONS.iter().any(|a| covers(a)).then_some((
                    3,
                    NearMiss {
                        statement: statement.index,
                        cause: Cause::ActionNotListed,
                    },
                ))
            }
            Some(PrincipalMatch::Exact) if !resource_ok => Some((
                2,
                NearMiss {
                    statement: statement.index,
                    cause: Cause::Resource,
                },
            )),
            Some(PrincipalMatch::Exact) if !failing.is_empty() => Some(conditions(1)),
            // `"*"` counts as the role's statement only when its other conditions single the
            // role out and what fails is the context or the network.
            Some(PrincipalMatch::Any) if covers(action) && resource_ok && !failing.is_empty() => {
                Some(conditions(1)).filter(|(rank, _)| *rank == 1)
            }
            None if covers(action) => session_value(statement, byok).map(|value| {
                (
                    2,
                    NearMiss {
                        statement: statement.index,
                        cause: Cause::Session {
                            span: value.span,
                            value: value.value.to_string(),
                        },
                    },
                )
            }),
            _ => None,
        };
        if let Some((rank, near)) = candidate {
            if best.as_ref().is_none_or(|(best_rank, _)| rank < *best_rank) {
                best = Some((rank, near));
            }
        }
    }
    best.map(|(_, near)| near)
}

fn session_value<'a>(statement: &Statement<'a>, byok: &Byok) -> Option<Str<'a>> {
    let principal = statement.principal.as_ref().filter(|p| !p.negated)?;
    principal
        .values()
        .find(|(kind, value)| *kind == Some(PrincipalKind::Aws) && byok.is_session(value.value))
        .map(|(_, value)| value)
}

/// For each statement naming the role, the management actions (of [`MANAGEMENT`]) it lets
/// the role call, by evaluation; in statement order.
pub(super) fn management_grants(
    doc: &Checked<'_>,
    scope: &Scope<'_>,
    byok: &Byok,
) -> Vec<(usize, Vec<&'static str>)> {
    doc.memo
        .key
        .management_grants
        .get_or_init(|| compute_management_grants(scope, byok))
        .clone()
}

fn compute_management_grants(scope: &Scope<'_>, byok: &Byok) -> Vec<(usize, Vec<&'static str>)> {
    let mut grants: Vec<(usize, Vec<&'static str>)> = Vec::new();
    for (action, _) in MANAGEMENT {
        let evaluation = scope.evaluate(action, &byok.arn, &byok.context(action));
        if !evaluation.is_allowed() {
            continue;
        }
        for index in evaluation.allowed_by {
            let names_role = scope
                .statement(index)
                .is_some_and(|s| byok.named_by(s) == Some(PrincipalMatch::Exact));
            if !names_role {
                continue;
            }
            match grants.iter_mut().find(|(i, _)| *i == index) {
                Some((_, actions)) => actions.push(action),
                None => grants.push((index, vec![action])),
            }
        }
    }
    grants.sort_by_key(|(index, _)| *index);
    grants
}

/// The statement's `Action` value that covers every one of `actions`, else the whole value.
pub(super) fn action_span(statement: &Statement<'_>, actions: &[&str]) -> Option<Span> {
    let element = statement.action.as_ref()?;
    if element.negated {
        return Some(element.key_span);
    }
    let single = element.values.items.iter().find(|item| {
        actions
            .iter()
            .all(|a| crate::eval::action_matches(item.value, a))
    });
    Some(single.map_or(element.values.span, |item| item.span))
}

/// The entries of the statement's `Condition` of one kind.
pub(super) fn entries_of_kind<'s, 'a>(
    statement: &'s Statement<'a>,
    kind: ConditionKind,
) -> Vec<&'s ConditionEntry<'a>> {
    statement
        .condition_entries()
        .iter()
        .filter(|e| condition_kind(e.key.value) == kind)
        .collect()
}

/// The statements that grant the role one of the four actions, or would but for their
/// conditions: Allow statements naming the role, or `"*"` statements whose conditions other than
/// `kind`'s single the role out.
pub(super) fn role_statements<'s, 'a>(
    scope: &'s Scope<'a>,
    byok: &Byok,
    kind: ConditionKind,
) -> Vec<&'s Statement<'a>> {
    let variables = scope.policy.supports_variables();
    scope
        .policy
        .statements
        .iter()
        .filter(|s| s.effect() == Some(Effect::Allow))
        .filter(|statement| {
            BYOK_ACTIONS.iter().any(|&action| {
                let context = byok.context(action);
                let request = Request::new(action, &scope.key, &context).by(byok.principal());
                let covers = statement
                    .action
                    .as_ref()
                    .is_some_and(|a| action_element_matches(a, action));
                let others_hold = statement
                    .condition_entries()
                    .iter()
                    .filter(|e| condition_kind(e.key.value) != kind)
                    .all(|e| condition_holds(e, &request, variables));
                covers
                    && match byok.named_by(statement) {
                        Some(PrincipalMatch::Exact) => true,
                        Some(PrincipalMatch::Any) => others_hold,
                        _ => false,
                    }
            })
        })
        .collect()
}

/// The values of a condition entry, as messages quote them (`` `a` or `b` ``).
pub(super) fn quoted_values(entry: &ConditionEntry<'_>) -> String {
    let values: Vec<String> = entry
        .values
        .iter()
        .map(|v| format!("`{}`", v.text))
        .collect();
    super::join(&values, "or")
}
