//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the literals
//! `${*}`, `${?}`, `${$}`.
//!
//! IAM substitutes them only in policies of `Version` `2012-10-17`; in older policies the text
//! is literal. A substituted value is spliced in as literal characters, never as wildcards, so
//! `${*}` is how a policy writes a literal `*` in a `Like` pattern.

use super::request::Request;
use super::wildcard::{push_text, Token};

/// Compiles a policy string into a pattern, substituting variables from `request` when
/// `variables` is on. `None` when a variable cannot be resolved and has no default: IAM then
/// makes the value match nothing.
pub(crate) fn compile_value(
    text: &str,
    wildcards: bool,
    variables: bool,
    request: &Request<'_>,
) -> Option<Vec<Token>> {
    let mut tokens = Vec::with_capacity(text.len());
    if !variables {
        push_text(&mut tokens, text, wildcards);
        return Some(tokens);
    }
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, from_dollar) = rest.split_at(start);
        let inner_and_after = from_dollar.get(2..).unwrap_or_default();
        let Some((inner, after)) = inner_and_after.split_once('}') else {
            // No closing brace: not a variable, the rest is plain text.
            break;
        };
        push_text(&mut tokens, before, wildcards);
        let value = resolve(inner, request)?;
        tokens.extend(value.chars().map(Token::Char));
        rest = after;
    }
    push_text(&mut tokens, rest, wildcards);
    Some(tokens)
}

/// The text of one variable (what is between `${` and `}`).
fn resolve(inner: &str, request: &Request<'_>) -> Option<String> {
    let inner = inner.trim();
    if matches!(inner, "*" | "?" | "$") {
        return Some(inner.to_string());
    }
    let (name, default) = match inner.split_once(',') {
        Some((name, default)) => (name.trim(), Some(quoted(default.trim())?)),
        None => (inner, None),
    };
    if name.is_empty() {
        return None;
    }
    // A variable stands for one value; a multivalued key does not give one.
    let value = request
        .values(name)
        .filter(|values| values.len() == 1)
        .and_then(|values| values.into_iter().next());
    match value {
        Some(value) => Some(value.into_owned()),
        None => default.map(str::to_string),
    }
}

/// The text of a `'single-quoted'` default.
fn quoted(text: &str) -> Option<&str> {
    text.strip_prefix('\'')?.strip_suffix('\'')
}
