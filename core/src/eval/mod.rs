//! Request evaluation: one request against one policy, as IAM decides it.
//!
//! An explicit `Deny` beats an `Allow`, which beats the implicit deny. A statement applies when
//! its principal (for resource, key and trust policies), action, resource and every condition
//! match. A statement whose `Effect` is missing or invalid is ignored (the grammar rules report
//! it), as is one without `Action`, or without `Resource` outside a trust policy (KMS accepts
//! such key policy statements and they have no effect).
//!
//! ```
//! use byokcheck_core::eval::{PrincipalRef, Request, RequestContext};
//! let context = RequestContext::new().with("sts:ExternalId", "tenant-42");
//! let vendor = PrincipalRef::from_arn("arn:aws:iam::358587034707:role/SegBots-Servers-Role");
//! let request = Request::new("sts:AssumeRole", "arn:aws:iam::111122223333:role/Byok", &context)
//!     .by(vendor);
//! assert_eq!(request.principal.map(|p| p.account), Some("358587034707"));
//! ```

mod conditions;
mod matching;
mod principal;
mod request;
mod variables;
mod wildcard;

#[cfg(test)]
mod tests;

pub use conditions::{condition_holds, conditions_hold};
pub use matching::{
    action_element_matches, action_matches, resource_element_matches, resource_matches,
};
pub use principal::{principal_matches, value_matches, PrincipalMatch};
pub(crate) use request::arn_parts;
pub use request::{PrincipalRef, Request, RequestContext};
pub use wildcard::{arn_matches, wildcard_matches};

use crate::finding::DocumentKind;
use crate::policy::{Effect, Policy, Statement};

/// Which kind of policy is evaluated, which decides whether principals are matched and whether
/// a statement needs a `Resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalMode {
    /// An identity policy: attached to the caller, so it has no principal to match
    /// (a `Principal` element in it is ignored here and reported by the grammar rules).
    Identity,
    /// A resource policy such as a KMS key policy: principals are matched, and a statement
    /// without `Resource` or `NotResource` has no effect.
    Resource,
    /// A role trust policy: principals are matched, and the role is the resource, so a
    /// statement needs no `Resource`.
    Trust,
}

impl PrincipalMode {
    /// The mode for a policy document kind; `None` for the ARN kinds.
    pub fn for_kind(kind: DocumentKind) -> Option<Self> {
        match kind {
            DocumentKind::Iam => Some(Self::Identity),
            DocumentKind::Key => Some(Self::Resource),
            DocumentKind::Trust => Some(Self::Trust),
            DocumentKind::RoleArn | DocumentKind::KeyArn => None,
        }
    }

    /// True when `Principal` and `NotPrincipal` are matched.
    pub fn matches_principals(self) -> bool {
        self != Self::Identity
    }
}

/// The outcome of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// At least one `Allow` statement applies and no `Deny` statement does.
    Allow,
    /// At least one `Deny` statement applies.
    ExplicitDeny,
    /// No statement applies.
    ImplicitDeny,
}

/// A decision and the statements that made it, by [`Statement::index`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// Every `Allow` statement that applies (also when a `Deny` overrides them).
    pub allowed_by: Vec<usize>,
    /// Every `Deny` statement that applies.
    pub denied_by: Vec<usize>,
    /// The `Allow` statements among `allowed_by` that matched the caller only through its
    /// account (`arn:aws:iam::ACCOUNT:root` or a bare account id).
    pub allowed_by_account: Vec<usize>,
    /// True when the request is allowed only by account delegation: the policy lets the
    /// account decide, so IAM in that account must also allow the request.
    pub principal_matched_by_account: bool,
}

impl Evaluation {
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }
}

/// Evaluates `request` against `policy`.
pub fn evaluate(
    policy: &Policy<'_>,
    request: &Request<'_>,
    principals: PrincipalMode,
) -> Evaluation {
    evaluate_statements(
        &policy.statements,
        policy.supports_variables(),
        request,
        principals,
        Reading::AsWritten,
    )
}

/// [`evaluate`] with the conditions relaxed, as a check must read a policy when it does not
/// know the caller's request context: every Allow as if its conditions held (the real caller
/// may meet them), and no Deny that has conditions (the caller may avoid them). The same as
/// evaluating a copy of the policy with those conditions and statements removed, without the
/// copy.
pub fn evaluate_relaxed(
    policy: &Policy<'_>,
    request: &Request<'_>,
    principals: PrincipalMode,
) -> Evaluation {
    evaluate_statements(
        &policy.statements,
        policy.supports_variables(),
        request,
        principals,
        Reading::Relaxed,
    )
}

/// [`evaluate`] over the statements of `policy` at `positions` only: the caller knows the
/// others cannot apply (their principal is not the request's), and skips testing them again
/// for every action.
pub fn evaluate_among(
    policy: &Policy<'_>,
    positions: &[usize],
    request: &Request<'_>,
    principals: PrincipalMode,
) -> Evaluation {
    evaluate_statements(
        positions.iter().filter_map(|&at| policy.statements.get(at)),
        policy.supports_variables(),
        request,
        principals,
        Reading::AsWritten,
    )
}

/// How [`evaluate_statements`] reads conditions.
#[derive(Clone, Copy)]
enum Reading {
    AsWritten,
    /// See [`evaluate_relaxed`].
    Relaxed,
}

fn evaluate_statements<'s, 'a: 's>(
    statements: impl IntoIterator<Item = &'s Statement<'a>>,
    variables: bool,
    request: &Request<'_>,
    principals: PrincipalMode,
    reading: Reading,
) -> Evaluation {
    let mut allowed_by = Vec::new();
    let mut denied_by = Vec::new();
    let mut allowed_by_account = Vec::new();
    for statement in statements {
        let Some(effect) = statement.effect() else {
            continue;
        };
        let matched = match reading {
            Reading::AsWritten => statement_match(statement, request, principals, variables),
            Reading::Relaxed => match effect {
                Effect::Deny if statement.condition.is_some() => None,
                Effect::Deny => statement_match(statement, request, principals, variables),
                Effect::Allow => unconditional_match(statement, request, principals, variables),
            },
        };
        let Some(matched) = matched else {
            continue;
        };
        match effect {
            Effect::Deny => denied_by.push(statement.index),
            Effect::Allow => {
                allowed_by.push(statement.index);
                if matched.is_by_account() {
                    allowed_by_account.push(statement.index);
                }
            }
        }
    }
    let decision = if !denied_by.is_empty() {
        Decision::ExplicitDeny
    } else if !allowed_by.is_empty() {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    };
    let principal_matched_by_account =
        decision == Decision::Allow && allowed_by_account.len() == allowed_by.len();
    Evaluation {
        decision,
        allowed_by,
        denied_by,
        allowed_by_account,
        principal_matched_by_account,
    }
}

/// True when `statement` applies to `request` (whatever its `Effect`).
///
/// `variables` is [`Policy::supports_variables`] of the statement's policy.
pub fn statement_applies(
    statement: &Statement<'_>,
    request: &Request<'_>,
    principals: PrincipalMode,
    variables: bool,
) -> bool {
    statement_match(statement, request, principals, variables).is_some()
}

/// How `statement` applies to `request`: `None` when it does not, else how its principal
/// matched ([`PrincipalMatch::Unchecked`] for an identity policy).
pub fn statement_match(
    statement: &Statement<'_>,
    request: &Request<'_>,
    principals: PrincipalMode,
    variables: bool,
) -> Option<PrincipalMatch> {
    let matched = unconditional_match(statement, request, principals, variables)?;
    conditions_hold(statement, request, variables).then_some(matched)
}

/// [`statement_match`] as if the statement had no `Condition`.
fn unconditional_match(
    statement: &Statement<'_>,
    request: &Request<'_>,
    principals: PrincipalMode,
    variables: bool,
) -> Option<PrincipalMatch> {
    // A resource or trust policy statement without a principal applies to no one.
    let principal = match principals.matches_principals() {
        true => Some(statement.principal.as_ref()?),
        false => None,
    };
    // The action first: it is the cheaper test, and most statements of a key policy fail it.
    if !action_element_matches(statement.action.as_ref()?, request.action) {
        return None;
    }
    let matched = match principal {
        Some(principal) => principal_matches(principal, request.principal.as_ref())?,
        None => PrincipalMatch::Unchecked,
    };
    match (&statement.resource, principals) {
        (Some(resource), _) => {
            if !resource_element_matches(resource, request, variables) {
                return None;
            }
        }
        (None, PrincipalMode::Trust) => {}
        (None, _) => return None,
    }
    Some(matched)
}
