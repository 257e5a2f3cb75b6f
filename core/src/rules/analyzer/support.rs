//! Helpers the analyzer rules share: pattern inclusion, value listings, principal lookups.

use crate::policy::{ConditionEntry, PrincipalKind, Statement, Str};

pub(crate) use crate::policy::has_wildcard;

/// The literal text before `value`'s first wildcard (all of it when it has none).
pub(crate) fn literal_head(value: &str) -> &str {
    let end = crate::bytescan::wildcard_position(value.as_bytes()).unwrap_or(value.len());
    value.get(..end).unwrap_or(value)
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
    let head = literal_head(general);
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

/// Which bytes a pattern's text holds, folded to one word: a necessary condition for
/// [`pattern_covers`] that costs one test per pair. Long lists compare thousands of pairs that
/// share a literal head (`arn:aws:ec2:*:*:subnet/*` beside `arn:aws:ec2:*:*:volume/*`), and
/// all but about 1% of them do not cover each other; the full test took some 700 instructions
/// on each.
///
/// Why it holds: take `specific` with each `*` as nothing and each `?` as a character unlike a
/// given byte `b`. `specific` matches that text, so a `general` that covers it matches it too;
/// if `b` is a literal byte of `general`, it must then be one of `specific`'s literal bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ByteSignature {
    /// One bit per class of the literal bytes, letters folded to lowercase (so the test holds
    /// with and without `ignore_case`).
    literal: u64,
}

impl ByteSignature {
    pub(crate) fn of(value: &str) -> Self {
        let mut signature = Self::default();
        for byte in value.bytes() {
            if byte != b'*' && byte != b'?' {
                signature.literal |= 1 << Self::class(byte);
            }
        }
        signature
    }

    /// Letters and digits have a bit each (36); other bytes share the remaining 28.
    fn class(byte: u8) -> u32 {
        let byte = byte.to_ascii_lowercase();
        match byte {
            b'a'..=b'z' => u32::from(byte - b'a'),
            b'0'..=b'9' => 26 + u32::from(byte - b'0'),
            _ => 36 + u32::from(byte) % 28,
        }
    }

    /// False when `general` cannot cover `specific` ([`pattern_covers`] would say no); true
    /// when it may.
    pub(crate) fn may_cover(self, specific: Self) -> bool {
        self.literal & !specific.literal == 0
    }

    /// The signature of entry `i`, `text`, made the first time it is asked for: most entries
    /// never get as far as the full test.
    pub(crate) fn cached(cache: &mut [Option<Self>], i: usize, text: &str) -> Self {
        match cache.get_mut(i) {
            Some(slot) => *slot.get_or_insert_with(|| Self::of(text)),
            None => Self::of(text),
        }
    }
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

    use super::{ascii_pattern_covers, char_pattern_covers, pattern_covers, ByteSignature};

    proptest! {
        // The signature test never turns away a pair that the full test accepts.
        #[test]
        fn the_byte_signature_never_rejects_a_covering_pair(
            general in "[aAbZ09:/ä.*?-]{0,10}",
            specific in "[aAbZ09:/ä.*?-]{0,10}",
            ignore_case in any::<bool>(),
        ) {
            if pattern_covers(&general, &specific, ignore_case) {
                prop_assert!(ByteSignature::of(&general).may_cover(ByteSignature::of(&specific)));
            }
        }

        // The same over pairs that mostly do cover: `general` is `specific` with some
        // characters made wildcards or changed in case.
        #[test]
        fn the_byte_signature_passes_patterns_made_from_the_text(
            specific in "[aAbZ09:/ä.*?-]{0,12}",
            edits in proptest::collection::vec(0u8..4, 12),
            ignore_case in any::<bool>(),
        ) {
            let general: String = specific
                .chars()
                .zip(edits.iter().chain(std::iter::repeat(&0)))
                .map(|(c, edit)| match edit {
                    1 => '*',
                    2 => '?',
                    3 => c.to_ascii_uppercase(),
                    _ => c,
                })
                .collect();
            if pattern_covers(&general, &specific, ignore_case) {
                prop_assert!(ByteSignature::of(&general).may_cover(ByteSignature::of(&specific)));
            }
        }

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
    fn the_byte_signature_turns_away_patterns_with_other_letters() {
        let signature = |text: &str| ByteSignature::of(text);
        let subnet = signature("arn:aws:ec2:*:*:subnet/*");
        assert!(!subnet.may_cover(signature("arn:aws:ec2:*:*:volume/*")));
        assert!(subnet.may_cover(signature("arn:aws:ec2:us-east-1:*:subnet/subnet-1")));
        // Case is folded: `ignore_case` callers compare `KMS:*` with `kms:Decrypt`.
        assert!(signature("KMS:*").may_cover(signature("kms:Decrypt")));
        // Wildcards hold no literal byte; a `?` of the specific side could be any byte.
        assert!(signature("*").may_cover(signature("")));
        assert!(signature("kms:?ecrypt").may_cover(signature("kms:Decrypt")));
        // A `?` of the specific side supplies no byte: it could be any character.
        assert!(!signature("kms:D*").may_cover(signature("kms:?ecrypt")));
        assert!(!signature("kms:D*").may_cover(signature("kms:*ecrypt")));
        // Digits have their own bits: `key/1*` is turned away from `key/2*`.
        assert!(!signature("key/1*").may_cover(signature("key/2*")));
    }

    #[test]
    fn letters_and_digits_have_a_bit_each_and_other_bytes_share_the_rest() {
        use std::collections::BTreeSet;
        let alphanumeric: BTreeSet<u32> = (b'a'..=b'z')
            .chain(b'0'..=b'9')
            .map(ByteSignature::class)
            .collect();
        assert_eq!(alphanumeric, (0..36).collect());
        let others: BTreeSet<u32> = (0..=255u8)
            .filter(|b| !b.is_ascii_alphanumeric())
            .map(ByteSignature::class)
            .collect();
        assert_eq!(others, (36..64).collect());
        assert_eq!(ByteSignature::class(b'K'), ByteSignature::class(b'k'));
    }

    #[test]
    fn a_signature_is_made_once_and_kept() {
        let mut cache = [None; 2];
        let decrypt = ByteSignature::of("kms:Decrypt");
        assert_eq!(ByteSignature::cached(&mut cache, 1, "kms:Decrypt"), decrypt);
        assert_eq!(cache, [None, Some(decrypt)]);
        // The kept one answers, whatever text comes with the same position.
        assert_eq!(
            ByteSignature::cached(&mut cache, 1, "s3:GetObject"),
            decrypt
        );
        // Past the cache, it is made each time.
        assert_eq!(ByteSignature::cached(&mut cache, 5, "kms:Decrypt"), decrypt);
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
