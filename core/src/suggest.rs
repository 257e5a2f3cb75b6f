//! Did-you-mean: the closest known name to a misspelt one.

/// True when `typed` is a plausible misspelling of `known` (case-insensitive, edit distance
/// at most 2 and at most a third of the length).
pub(crate) fn close(typed: &str, known: &str) -> bool {
    if length_gap(typed, known) > 2 {
        return false;
    }
    let a = typed.to_ascii_lowercase();
    let b = known.to_ascii_lowercase();
    let distance = strsim::damerau_levenshtein(&a, &b);
    distance > 0 && distance <= 2 && distance * 3 <= b.len().max(3)
}

/// The difference in length, in characters: a lower bound of both edit distances, so a check
/// of "at most N edits" can skip the quadratic computation when the lengths rule it out.
fn length_gap(a: &str, b: &str) -> usize {
    a.chars().count().abs_diff(b.chars().count())
}

/// True when `a` becomes `b` in at most `limit` insertions, deletions and substitutions.
pub(crate) fn levenshtein_within(a: &str, b: &str, limit: usize) -> bool {
    length_gap(a, b) <= limit && strsim::levenshtein(a, b) <= limit
}

/// As [`levenshtein_within`], counting a swap of neighbours as one edit.
pub(crate) fn damerau_within(a: &str, b: &str, limit: usize) -> bool {
    length_gap(a, b) <= limit && strsim::damerau_levenshtein(a, b) <= limit
}

/// The closest of `candidates` to `typed`, if one is close enough.
pub(crate) fn best<'c>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let a = typed.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|c| close(typed, c))
        .min_by_key(|c| strsim::damerau_levenshtein(&a, &c.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        // The length shortcut never changes an answer.
        #[test]
        fn bounded_distances_agree_with_the_full_ones(
            a in "[ab:é]{0,8}", b in "[ab:é]{0,8}", limit in 0usize..4,
        ) {
            prop_assert_eq!(
                super::levenshtein_within(&a, &b, limit),
                strsim::levenshtein(&a, &b) <= limit
            );
            prop_assert_eq!(
                super::damerau_within(&a, &b, limit),
                strsim::damerau_levenshtein(&a, &b) <= limit
            );
        }
    }

    #[test]
    fn finds_typos() {
        assert_eq!(
            super::best("kms:Decript", ["kms:Encrypt", "kms:Decrypt"]),
            Some("kms:Decrypt")
        );
        assert_eq!(
            super::best("Actoin", ["Action", "Resource"]),
            Some("Action")
        );
        assert_eq!(super::best("Banana", ["Action", "Resource"]), None);
    }
}
