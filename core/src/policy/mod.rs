//! The typed policy model, its parser, and the view rules check.

mod model;
mod operator;
mod parse;

pub use model::*;
pub use operator::{BaseOperator, Family, Operator, SetQualifier};
pub(crate) use parse::parse_policy;

use crate::context::Context;
use crate::finding::DocumentKind;

/// What a policy rule sees: the text, the typed policy, its kind, the setup context, and the
/// setup's other documents when the whole setup is verified.
pub(crate) struct Checked<'a> {
    pub text: &'a str,
    pub kind: DocumentKind,
    pub policy: &'a Policy<'a>,
    pub context: &'a Context,
    pub others: Others<'a>,
    /// Analyses several rules share, computed once per document.
    pub memo: crate::rules::Memo<'a>,
}

/// True when `value` has an IAM wildcard (`*` or `?`). By bytes: both are ASCII, so no byte
/// of a multi-byte character can be one, and `contains(['*', '?'])` decodes every character.
pub(crate) fn has_wildcard(value: &str) -> bool {
    crate::bytescan::wildcard_position(value.as_bytes()).is_some()
}

/// `text` before and after its first `:`, as `split_once(':')` gives it.
pub(crate) fn split_at_colon(text: &str) -> Option<(&str, &str)> {
    split_at_byte(text, b':')
}

/// `text` before and after its first `separator`, an ASCII byte, as `split_once` gives it. By
/// bytes: every action and condition key is split at its service prefix's colon, every
/// principal's resource at its `/`, and `split_once`'s character searcher cost about 100
/// instructions on these short strings. An ASCII byte never occurs inside a multi-byte
/// character, so both halves are whole characters.
pub(crate) fn split_at_byte(text: &str, separator: u8) -> Option<(&str, &str)> {
    debug_assert!(separator.is_ascii());
    let at = text.bytes().position(|b| b == separator)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// True when `text` holds `${`, where a policy variable starts. Most values hold no `$`: one
/// byte search settles them, where `contains("${")` sets up a substring searcher on every call
/// (rules ask this of every condition value and resource field).
pub(crate) fn holds_variable_start(text: &str) -> bool {
    text.as_bytes().contains(&b'$') && text.contains("${")
}

/// The other documents of the setup, when `verify_setup` checks them together. Only the key
/// policy's checks look across documents (KMS combines the key policy with the IAM policy);
/// add a field when another check needs one.
#[derive(Clone, Copy, Default)]
pub(crate) struct Others<'a> {
    pub iam: Option<&'a Policy<'a>>,
}

#[cfg(test)]
mod tests {
    use super::holds_variable_start;

    #[test]
    fn a_variable_starts_only_at_a_dollar_and_a_brace() {
        assert!(holds_variable_start(
            "arn:aws:s3:::bucket/${aws:username}/*"
        ));
        assert!(holds_variable_start("$${"));
        assert!(!holds_variable_start("costs $5 {each}"));
        assert!(!holds_variable_start("a$"));
        assert!(!holds_variable_start("{$"));
        assert!(!holds_variable_start(""));
    }
}
