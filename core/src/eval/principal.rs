//! `Principal` and `NotPrincipal` matching, for resource, key and trust policies.

use crate::policy::{PrincipalElement, PrincipalKind, PrincipalValue};

use super::request::{arn_parts, session_parts, PrincipalRef};

/// How a statement's principal element matched the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// Principals were not matched (an identity policy).
    Unchecked,
    /// Only by the caller's account (`arn:aws:iam::ACCOUNT:root` or a bare account id): IAM in
    /// that account must also allow the request.
    Account,
    /// By `"*"` / `{"AWS": "*"}`, which matches every caller.
    Any,
    /// By the caller's own role, user, session, service or identity provider.
    Exact,
    /// By a `NotPrincipal` that does not list the caller.
    NotListed,
}

impl PrincipalMatch {
    /// True when the match was account delegation only.
    pub fn is_by_account(self) -> bool {
        self == Self::Account
    }
}

/// How `element` matches `principal` (`None` for an anonymous caller); `None` when it does not.
///
/// `Principal` lists OR: the best match wins (`Exact`, then `Any`, then `Account`), whatever
/// the order of the values.
/// `NotPrincipal` inverts: it matches exactly when no listed principal matches (account and
/// role entries in it therefore exempt that account's callers and that role's sessions).
pub fn principal_matches(
    element: &PrincipalElement<'_>,
    principal: Option<&PrincipalRef<'_>>,
) -> Option<PrincipalMatch> {
    let best = element
        .values()
        // A bare string other than `"*"` is invalid (the grammar rules report it).
        .filter(|(_, value)| match &element.value {
            PrincipalValue::Bare(_) => value.value == "*",
            PrincipalValue::Map(_) => true,
        })
        .filter_map(|(kind, value)| value_matches(kind, value.value, principal))
        // Ranked, not just "not Account": with `Any` and `Exact` equal, `max_by_key` kept the
        // last of them, so the answer depended on the order of the keys in `Principal`.
        .max_by_key(|m| match m {
            PrincipalMatch::Account => 0,
            PrincipalMatch::Any => 1,
            _ => 2,
        });
    if element.negated {
        match best {
            Some(_) => None,
            None => Some(PrincipalMatch::NotListed),
        }
    } else {
        best
    }
}

/// How one principal value matches the caller.
pub fn value_matches(
    kind: Option<PrincipalKind>,
    value: &str,
    principal: Option<&PrincipalRef<'_>>,
) -> Option<PrincipalMatch> {
    let kind = kind?;
    if value == "*" {
        // `{"Service": "*"}` and the like are not valid: only AWS (and the bare form) take `*`.
        return (kind == PrincipalKind::Aws).then_some(PrincipalMatch::Any);
    }
    // AWS rejects partial wildcards in principals, so they match nothing.
    if crate::policy::has_wildcard(value) {
        return None;
    }
    let principal = principal?;
    match kind {
        PrincipalKind::Aws => aws_matches(value, principal),
        PrincipalKind::Service => principal
            .service
            .filter(|service| service.eq_ignore_ascii_case(value))
            .map(|_| PrincipalMatch::Exact),
        PrincipalKind::Federated => principal
            .federated
            .filter(|provider| *provider == value)
            .map(|_| PrincipalMatch::Exact),
        // S3's canonical user ids never name a KMS, IAM or STS caller.
        PrincipalKind::CanonicalUser => None,
    }
}

fn aws_matches(value: &str, principal: &PrincipalRef<'_>) -> Option<PrincipalMatch> {
    if is_account_id(value) {
        return (value == principal.account).then_some(PrincipalMatch::Account);
    }
    let Some(["arn", partition, service, "", account, resource]) = arn_parts(value) else {
        // A unique id (`AROA…`) or something else IAM would have converted or rejected.
        return (!principal.arn.is_empty() && value == principal.arn)
            .then_some(PrincipalMatch::Exact);
    };
    if service == "iam" && resource == "root" {
        let same_partition = principal_partition(principal).is_none_or(|p| p == partition);
        return (same_partition && !account.is_empty() && account == principal.account)
            .then_some(PrincipalMatch::Account);
    }
    if !principal.arn.is_empty() && value == principal.arn {
        return Some(PrincipalMatch::Exact);
    }
    // A role ARN also names the sessions of that role; the session ARN has the role name
    // without its path, and names are unique per account whatever the path.
    if service == "iam" {
        if let (Some(path_and_name), Some((s_partition, s_account, s_name))) =
            (resource.strip_prefix("role/"), session_parts(principal.arn))
        {
            let name = path_and_name.rsplit('/').next().unwrap_or_default();
            if s_partition == partition && s_account == account && s_name == name {
                return Some(PrincipalMatch::Exact);
            }
        }
    }
    None
}

fn principal_partition<'a>(principal: &PrincipalRef<'a>) -> Option<&'a str> {
    let arn = principal.arn;
    arn.strip_prefix("arn:")
        .and_then(|rest| rest.split(':').next())
}

fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}
