//! `Action`/`NotAction` and `Resource`/`NotResource` matching.

use crate::policy::ListElement;

use super::request::Request;
use super::variables::compile_value;
use super::wildcard::{tokens_match, wildcard_matches};

/// True when action `pattern` (`kms:GenerateDataKey*`, `kms:*`, `*`) matches `action`.
/// Service prefix and action name are case-insensitive, as in IAM.
///
/// ```
/// use byokcheck_core::eval::action_matches;
/// assert!(action_matches("KMS:generatedatakey*", "kms:GenerateDataKeyPair"));
/// assert!(!action_matches("kms:Decrypt", "kms:Encrypt"));
/// ```
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_matches(pattern, action, true)
}

/// True when resource `pattern` matches the ARN `resource`, case-sensitively.
///
/// The pattern is matched against the whole string, so a `*` spans `/` and `:`
/// (`arn:aws:kms:*` covers every KMS ARN of the partition). IAM documents wildcards per ARN
/// segment and lets the resource part's `*` cross `/`; matching the whole string is the same
/// for every pattern whose wildcards stay inside one segment, and for the others it errs on the
/// side of the statement applying (a wider Allow, a wider Deny). The `Arn…` condition
/// operators are the ones matched segment by segment ([`crate::eval::arn_matches`]).
/// Policy variables are not substituted here; see [`resource_element_matches`].
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    wildcard_matches(pattern, resource, false)
}

/// True when the statement's `Action` (or `NotAction`) element covers the request's action.
pub fn action_element_matches(element: &ListElement<'_>, action: &str) -> bool {
    let listed = element
        .values
        .items
        .iter()
        .any(|pattern| action_matches(pattern.value, action));
    listed != element.negated
}

/// True when the statement's `Resource` (or `NotResource`) element covers the request's
/// resource, substituting policy variables from the request when `variables` is on. A pattern
/// with an unresolvable variable matches nothing (so under `NotResource` it excludes nothing).
pub fn resource_element_matches(
    element: &ListElement<'_>,
    request: &Request<'_>,
    variables: bool,
) -> bool {
    let listed = element.values.items.iter().any(|pattern| {
        // Without a variable to substitute, the plain matcher gives the same answer with no
        // token list to build (`*` above all, in nearly every statement).
        if !variables || !crate::policy::holds_variable_start(pattern.value) {
            return super::wildcard::wildcard_matches(pattern.value, request.resource, false);
        }
        compile_value(pattern.value, true, variables, request)
            .is_some_and(|tokens| tokens_match(&tokens, request.resource, false))
    });
    listed != element.negated
}
