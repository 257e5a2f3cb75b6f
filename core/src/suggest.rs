//! Did-you-mean: the closest known name to a misspelt one.

/// True when `typed` is a plausible misspelling of `known` (case-insensitive, edit distance
/// at most 2 and at most a third of the length).
pub(crate) fn close(typed: &str, known: &str) -> bool {
    let a = typed.to_ascii_lowercase();
    let b = known.to_ascii_lowercase();
    let distance = strsim::damerau_levenshtein(&a, &b);
    distance > 0 && distance <= 2 && distance * 3 <= b.len().max(3)
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
