//! Helpers the analyzer rules share: pattern inclusion, value listings, principal lookups.

use crate::policy::{ConditionEntry, PrincipalKind, Statement, Str};

/// True when `value` has an IAM wildcard (`*` or `?`).
pub(crate) fn has_wildcard(value: &str) -> bool {
    value.contains(['*', '?'])
}

/// True when every string `specific` matches is also matched by `general` (both IAM wildcard
/// patterns). A `*` of `specific` can only be covered by a `*` of `general`; a `?` by a `?` or
/// a `*`. With `ignore_case`, ASCII letters compare without case (action names are ASCII).
/// The literal ends of `general` are compared first, which settles most pairs; the rest
/// costs the product of the two lengths.
pub(crate) fn pattern_covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    if general.is_ascii() && specific.is_ascii() {
        return ascii_pattern_covers(general, specific, ignore_case);
    }
    char_pattern_covers(general, specific, ignore_case)
}

/// [`pattern_covers`] by characters, for text that is not all ASCII.
fn char_pattern_covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    let same = |a: char, b: char| a == b || (ignore_case && a.eq_ignore_ascii_case(&b));
    let literal = |a: &str, b: &str| {
        a.chars().count() == b.chars().count() && a.chars().zip(b.chars()).all(|(x, y)| same(x, y))
    };
    if !has_wildcard(general) {
        return literal(general, specific);
    }
    let head = general.split(['*', '?']).next().unwrap_or_default();
    let tail = general.rsplit(['*', '?']).next().unwrap_or_default();
    let fits = specific.get(..head.len()).is_some_and(|s| literal(head, s))
        && specific
            .len()
            .checked_sub(tail.len())
            .and_then(|at| specific.get(at..))
            .is_some_and(|s| literal(tail, s));
    if !fits {
        return false;
    }
    // A literal `specific` is the common case: the linear glob matcher answers it without
    // allocating. Wildcard against wildcard uses the same linear walk over symbols.
    if !has_wildcard(specific) {
        return crate::catalog::glob::matches(general, specific, ignore_case);
    }
    crate::catalog::glob::covers(general, specific, ignore_case)
}

/// [`pattern_covers`] for ASCII text, by bytes (rules call it for many pairs of long lists):
/// the literal ends of `general` first, then the glob matchers. `prefix*`, by far the most
/// common pattern, covers whatever starts with its prefix, with no matching at all.
fn ascii_pattern_covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    let equal = |a: &[u8], b: &[u8]| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let is_wildcard = |c: &u8| *c == b'*' || *c == b'?';
    let (g, s) = (general.as_bytes(), specific.as_bytes());
    let Some(head_len) = g.iter().position(is_wildcard) else {
        return equal(g, s);
    };
    let tail_start = g.iter().rposition(is_wildcard).map_or(0, |at| at + 1);
    let head = g.get(..head_len).unwrap_or_default();
    let tail = g.get(tail_start..).unwrap_or_default();
    let fits = s.get(..head_len).is_some_and(|s| equal(head, s))
        && s.len()
            .checked_sub(tail.len())
            .and_then(|at| s.get(at..))
            .is_some_and(|s| equal(tail, s));
    if !fits {
        return false;
    }
    if tail_start == g.len() && head_len + 1 == g.len() && g.last() == Some(&b'*') {
        return true;
    }
    // The literal runs between `general`'s head and tail must appear, in order, between
    // `specific`'s: replace each wildcard of `specific` by a character `general` lacks, and
    // the text that gives is one `general` must match. A few slice comparisons settle most
    // pairs of look-alike ARN patterns before the glob walk (79 `arn:aws:ssm:*::document/X-*`
    // in one AWS managed policy).
    if let Some(middle) = s.get(head_len..s.len().saturating_sub(tail.len())) {
        let runs = g
            .get(head_len..tail_start)
            .unwrap_or_default()
            .split(is_wildcard)
            .filter(|run| !run.is_empty());
        let mut rest = middle;
        for run in runs {
            let first = run.first().map(|b| b.to_ascii_lowercase());
            let found = rest.windows(run.len()).position(|window| {
                window.first().map(|b| b.to_ascii_lowercase()) == first && equal(window, run)
            });
            match found.and_then(|at| rest.get(at + run.len()..)) {
                Some(after) => rest = after,
                None => return false,
            }
        }
    }
    if s.iter().any(is_wildcard) {
        return crate::catalog::glob::covers(general, specific, ignore_case);
    }
    crate::catalog::glob::matches(general, specific, ignore_case)
}

/// `` `a`, `b` `` for messages.
pub(crate) fn listing<'v>(values: impl IntoIterator<Item = &'v str>) -> String {
    values
        .into_iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The condition values written as strings.
pub(crate) fn strings<'e, 'a>(entry: &'e ConditionEntry<'a>) -> impl Iterator<Item = Str<'a>> + 'e {
    crate::rules::values::support::string_values(entry)
}

/// The statement's principal values of `kind` (not under `NotPrincipal`).
pub(crate) fn principals<'s, 'a>(
    statement: &'s Statement<'a>,
    kind: PrincipalKind,
) -> impl Iterator<Item = Str<'a>> + 's {
    statement
        .principal
        .iter()
        .filter(|p| !p.negated)
        .flat_map(move |p| p.values().filter(move |(k, _)| *k == Some(kind)))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{ascii_pattern_covers, char_pattern_covers, pattern_covers};

    proptest! {
        // The byte path for ASCII gives the character path's answers.
        #[test]
        fn the_ascii_path_agrees_with_the_char_path(
            general in "[aAb:*?]{0,10}",
            specific in "[aAb:*?]{0,10}",
            ignore_case in any::<bool>(),
        ) {
            prop_assert_eq!(
                ascii_pattern_covers(&general, &specific, ignore_case),
                char_pattern_covers(&general, &specific, ignore_case)
            );
        }
    }

    #[test]
    fn pattern_inclusion() {
        assert!(pattern_covers("kms:*", "kms:Decrypt", true));
        assert!(pattern_covers("kms:*", "kms:Generate*", true));
        assert!(pattern_covers("KMS:decrypt", "kms:Decrypt", true));
        assert!(!pattern_covers("KMS:decrypt", "kms:Decrypt", false));
        assert!(pattern_covers("kms:Re*", "kms:ReEncrypt?", true));
        assert!(!pattern_covers("kms:Get?", "kms:Get*", true));
        assert!(!pattern_covers("kms:Generate*", "kms:*", true));
        assert!(pattern_covers("*", "", true));
        assert!(pattern_covers("a*b*c", "a*xb?c", true));
        assert!(!pattern_covers("a*b", "a*", true));
        // The middle runs found in order, each after the one before it.
        assert!(pattern_covers("x*bc*d*y", "xqqqbcdy", false));
        assert!(!pattern_covers("x*bc*d*y", "xqqqdbcy", false));
    }

    #[test]
    fn the_char_path_respects_case_unless_told_not_to() {
        // Not ASCII, so `pattern_covers` takes the character path.
        assert!(!pattern_covers("ä:A", "ä:a", false));
        assert!(pattern_covers("ä:A", "ä:a", true));
        assert!(!pattern_covers("ä:A*", "ä:aB", false));
        assert!(pattern_covers("ä:A*", "ä:aB", true));
        assert!(!char_pattern_covers("b:A", "b:a", false));
    }
}
