//! `*` and `?` wildcard matching, as IAM uses it in `Action`, `Resource`, `StringLike` and the
//! ARN operators.
//!
//! A pattern is a list of tokens rather than a string, so that a policy variable's value and the
//! `${*}`, `${?}` literals can be spliced in as plain characters that are never wildcards.
//!
//! Matching is the two-pointer algorithm with backtracking to the last star only: a later star
//! supersedes an earlier one, so the work is O(pattern × text) in the worst case and never
//! exponential, whatever a hostile policy writes.

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// A character that must be present (compared per the case rule of the caller).
    Char(char),
    /// `*`: any run of characters, including none.
    Star,
    /// `?`: exactly one character.
    One,
}

/// Compiles `text`; with `wildcards` false every character is literal (the `Equals` operators).
pub(crate) fn compile(text: &str, wildcards: bool) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len());
    push_text(&mut tokens, text, wildcards);
    tokens
}

/// Appends `text` to a pattern being built.
pub(crate) fn push_text(tokens: &mut Vec<Token>, text: &str, wildcards: bool) {
    tokens.extend(text.chars().map(|c| match c {
        '*' if wildcards => Token::Star,
        '?' if wildcards => Token::One,
        c => Token::Char(c),
    }));
}

/// True when `pattern` (with `*` and `?` as wildcards) matches all of `text`.
///
/// ```
/// use byokcheck_core::eval::wildcard_matches;
/// assert!(wildcard_matches("kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext", false));
/// assert!(wildcard_matches("KMS:decrypt", "kms:Decrypt", true));
/// assert!(!wildcard_matches("a*a*a*b", &"a".repeat(50), false));
/// ```
pub fn wildcard_matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // Plain patterns need no token list: the catalog's allocation-free matcher runs the same
    // algorithm. Token lists exist for patterns with substituted variables, whose values must
    // stay literal even when they hold `*` or `?`.
    crate::catalog::glob::matches(pattern, text, ignore_case)
}

/// True when the compiled `pattern` matches all of `text`.
pub(crate) fn tokens_match(pattern: &[Token], text: &str, ignore_case: bool) -> bool {
    let text: Vec<char> = text.chars().collect();
    let mut p = 0;
    let mut t = 0;
    // The position after the last star seen, and the text position it is currently matched up to.
    let mut backtrack: Option<(usize, usize)> = None;
    while let Some(&c) = text.get(t) {
        match pattern.get(p) {
            Some(Token::Star) => {
                p += 1;
                backtrack = Some((p, t));
                continue;
            }
            Some(Token::One) => {
                p += 1;
                t += 1;
                continue;
            }
            Some(&Token::Char(expected)) if chars_equal(expected, c, ignore_case) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            Some((after_star, matched_to)) => {
                // Let the last star swallow one more character and retry from there.
                p = after_star;
                t = matched_to + 1;
                backtrack = Some((after_star, t));
            }
            None => return false,
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|tok| *tok == Token::Star))
}

fn chars_equal(a: char, b: char, ignore_case: bool) -> bool {
    a == b || (ignore_case && a.to_lowercase().eq(b.to_lowercase()))
}

/// Segment-wise ARN matching for the `Arn…` condition operators: the pattern and the value are
/// each split into the six colon-separated parts (`arn`, partition, service, region, account,
/// resource; the resource keeps any further colons), and each part is matched on its own,
/// case-sensitively, so a `*` in the region never reaches into the account.
///
/// A pattern that is exactly `*` matches any value; any other pattern or value that is not six
/// parts matches nothing.
pub(crate) fn arn_tokens_match(pattern: &[Token], text: &str) -> bool {
    if pattern == [Token::Star] {
        return true;
    }
    let pattern_parts = split_tokens(pattern);
    let text_parts: Vec<&str> = text.splitn(6, ':').collect();
    if pattern_parts.len() != 6 || text_parts.len() != 6 {
        return false;
    }
    pattern_parts
        .iter()
        .zip(&text_parts)
        .all(|(p, t)| tokens_match(p, t, false))
}

/// Splits a pattern at literal colons into at most six parts.
fn split_tokens(pattern: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::with_capacity(6);
    let mut rest = pattern;
    while parts.len() < 5 {
        match rest.iter().position(|t| *t == Token::Char(':')) {
            Some(at) => {
                parts.push(rest.get(..at).unwrap_or_default());
                rest = rest.get(at + 1..).unwrap_or_default();
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// Segment-wise ARN matching of a plain pattern string (`*`, `?` are wildcards).
///
/// ```
/// use byokcheck_core::eval::arn_matches;
/// assert!(arn_matches("arn:aws:iam::*:role/Seg*", "arn:aws:iam::358587034707:role/SegBots-Servers-Role"));
/// assert!(!arn_matches("arn:aws:iam::*", "arn:aws:iam::358587034707:role/SegBots-Servers-Role"));
/// ```
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    arn_tokens_match(&compile(pattern, true), arn)
}
