//! IAM wildcard matching: `*` matches any run of characters (including none and `/`), `?`
//! matches exactly one character; every other character matches itself.
//!
//! The matcher walks pattern and text with two cursors and remembers only the last `*`, so a
//! hostile pattern such as `a*a*a*a*b` costs at most `O(pattern × text)` steps, never the
//! exponential time of a naive recursive matcher.

/// True when `text` matches the wildcard `pattern` as a whole.
///
/// With `ignore_case`, characters compare by their lowercase forms (IAM action names are
/// case-insensitive; ARNs and most condition values are not).
///
/// ```
/// use byokcheck_core::catalog::glob::matches;
/// assert!(matches("kms:GenerateDataKey*", "kms:GenerateDataKeyPair", false));
/// assert!(matches("KMS:decrypt", "kms:Decrypt", true));
/// assert!(!matches("kms:Re?ncrypt", "kms:ReEncryptFrom", false));
/// ```
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // The evaluator asks this of every action of a policy, and most differ from the request
    // in their first character (`ec2:…` against `kms:Decrypt`): reject those at once. Only
    // when both first bytes are ASCII, where byte and character comparison agree.
    if let (Some(&p), Some(&t)) = (pattern.as_bytes().first(), text.as_bytes().first()) {
        if p.is_ascii()
            && t.is_ascii()
            && p != b'*'
            && p != b'?'
            && p != t
            && !(ignore_case && p.eq_ignore_ascii_case(&t))
        {
            return false;
        }
    }
    // Policies are ASCII in practice: compare bytes then. Other text is compared by characters.
    if pattern.is_ascii() && text.is_ascii() {
        let (p, t) = (pattern.as_bytes(), text.as_bytes());
        let same = |p: u8, t: u8| p == t || (ignore_case && p.eq_ignore_ascii_case(&t));
        // Most patterns are a literal or `prefix*`: walk the literal head once, stopping at the
        // first difference, and leave only what follows a wildcard to the general walk.
        let mut head = 0;
        loop {
            match (p.get(head).copied(), t.get(head).copied()) {
                (Some(b'*' | b'?'), _) => break,
                (Some(a), Some(b)) if same(a, b) => head += 1,
                (None, None) => return true,
                _ => return false,
            }
        }
        let (Some(p_rest), Some(t_rest)) = (p.get(head..), t.get(head..)) else {
            return false;
        };
        if p_rest == b"*" {
            return true;
        }
        return glob(p_rest, t_rest, b'*', b'?', same);
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let same = |p: char, t: char| p == t || (ignore_case && p.to_lowercase().eq(t.to_lowercase()));
    glob(&pattern, &text, '*', '?', same)
}

/// True when every text the wildcard pattern `specific` matches is matched by `general`, as
/// far as a symbol-by-symbol reading can tell (sound: a `true` is always right): `general`'s
/// `*` may swallow anything, including `specific`'s wildcards; its `?` stands for any one symbol
/// but `*`; other symbols must be equal. Linear-time like [`matches`].
pub(crate) fn covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    // As in `matches`: bytes for ASCII text (without allocating; rules call this pairwise).
    if general.is_ascii() && specific.is_ascii() {
        let same = |g: u8, s: u8| match (g, s) {
            (_, b'*') => false,
            (b'?', _) => true,
            (_, b'?') => false,
            (g, s) => g == s || (ignore_case && g.eq_ignore_ascii_case(&s)),
        };
        return glob(general.as_bytes(), specific.as_bytes(), b'*', b'\0', same);
    }
    let same = |g: char, s: char| match (g, s) {
        (_, '*') => false,
        ('?', _) => true,
        (_, '?') => false,
        (g, s) => g == s || (ignore_case && g.to_lowercase().eq(s.to_lowercase())),
    };
    let general: Vec<char> = general.chars().collect();
    let specific: Vec<char> = specific.chars().collect();
    // `?` is handled by `same`; U+0000 never appears in a policy string as the "one" symbol.
    glob(&general, &specific, '*', '\0', same)
}

/// The two-cursor match over any symbols, remembering only the last star.
fn glob<T: Copy + PartialEq>(
    pattern: &[T],
    text: &[T],
    star: T,
    one: T,
    same: impl Fn(T, T) -> bool,
) -> bool {
    let mut p = 0;
    let mut t = 0;
    // After a `*`: where the pattern resumes, and the text position the star has reached.
    let mut resume: Option<(usize, usize)> = None;
    loop {
        match (pattern.get(p).copied(), text.get(t).copied()) {
            (Some(pc), _) if pc == star => {
                p += 1;
                resume = Some((p, t));
                continue;
            }
            (Some(pc), Some(tc)) if pc == one || same(pc, tc) => {
                p += 1;
                t += 1;
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        // Mismatch: let the last star swallow one more symbol and retry from there.
        let Some((after_star, reached)) = resume else {
            return false;
        };
        if reached >= text.len() {
            return false;
        }
        resume = Some((after_star, reached + 1));
        p = after_star;
        t = reached + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn literal_and_case() {
        assert!(matches("kms:Decrypt", "kms:Decrypt", false));
        assert!(!matches("kms:Decrypt", "kms:decrypt", false));
        assert!(matches("kms:Decrypt", "KMS:DECRYPT", true));
        assert!(!matches("kms:Decrypt", "kms:Decrypt2", true));
        assert!(!matches("kms:Decrypt2", "kms:Decrypt", true));
        assert!(matches("", "", false));
        assert!(!matches("", "a", false));
        assert!(matches("Ärger", "ärger", true));
    }

    #[test]
    fn stars() {
        assert!(matches("*", "", false));
        assert!(matches("*", "anything/at:all", false));
        assert!(matches("**", "x", false));
        assert!(matches("kms:*", "kms:Decrypt", false));
        assert!(matches(
            "kms:GenerateDataKey*",
            "kms:GenerateDataKey",
            false
        ));
        assert!(matches(
            "kms:GenerateDataKey*",
            "kms:GenerateDataKeyPairWithoutPlaintext",
            false
        ));
        assert!(matches(
            "*Key*Plain*",
            "kms:GenerateDataKeyWithoutPlaintext",
            false
        ));
        assert!(!matches("kms:*Key", "kms:GenerateDataKeyPair", false));
        assert!(matches(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::111122223333:role/a/b",
            false
        ));
        assert!(!matches("a*b", "ac", false));
    }

    #[test]
    fn question_marks() {
        assert!(matches("kms:?ecrypt", "kms:Decrypt", false));
        assert!(!matches("kms:?ecrypt", "kms:ecrypt", false));
        assert!(matches("??", "é1", false));
        assert!(matches("a?*", "ab", false));
        assert!(!matches("a?*", "a", false));
    }

    #[test]
    fn many_stars_against_a_long_text_stay_polynomial() {
        let text = "a".repeat(10_000);
        assert!(!matches("a*a*a*a*a*a*a*b", &text, false));
        assert!(matches("a*a*a*a*a*a*a*a", &text, true));
        let almost = format!("{text}b");
        assert!(matches("a*a*a*a*a*a*a*b", &almost, false));
    }
}

#[cfg(test)]
mod covers_tests {
    use super::covers;

    #[test]
    fn a_pattern_covers_narrower_patterns() {
        assert!(covers("kms:*", "kms:Get*", false));
        assert!(covers("kms:Get*", "kms:GetKey*", false));
        assert!(covers("kms:*Key*", "kms:Get?Key*", false));
        assert!(covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", false));
        assert!(covers("KMS:get*", "kms:GetKey*", true));
        assert!(!covers("kms:Get*", "kms:*", false));
        assert!(!covers("kms:Get?", "kms:Get*", false));
        assert!(!covers("kms:Get*", "kms:Describe*", false));
        assert!(!covers("a*a*a*a*a*b", &"a".repeat(5000), false));
    }
}

#[cfg(test)]
mod reference_tests {
    use proptest::prelude::*;

    use super::{covers, matches};

    /// The textbook dynamic-programming matcher: slow, obviously right.
    fn reference(pattern: &[u8], text: &[u8], ignore_case: bool) -> bool {
        let mut row = vec![false; text.len() + 1];
        row[0] = true;
        for &p in pattern {
            let mut next = vec![false; text.len() + 1];
            if p == b'*' {
                let mut any = false;
                for (t, slot) in next.iter_mut().enumerate() {
                    any |= row[t];
                    *slot = any;
                }
            } else {
                for t in 0..text.len() {
                    let c = text[t];
                    let same = p == b'?' || p == c || (ignore_case && p.eq_ignore_ascii_case(&c));
                    next[t + 1] = row[t] && same;
                }
            }
            row = next;
        }
        row[text.len()]
    }

    /// [`reference`] over any units (here characters), case already folded.
    fn reference_units(pattern: &[u32], text: &[u32], star: u32, one: u32) -> bool {
        let mut row = vec![false; text.len() + 1];
        row[0] = true;
        for &p in pattern {
            let mut next = vec![false; text.len() + 1];
            if p == star {
                let mut any = false;
                for (t, slot) in next.iter_mut().enumerate() {
                    any |= row[t];
                    *slot = any;
                }
            } else {
                for t in 0..text.len() {
                    next[t + 1] = row[t] && (p == one || p == text[t]);
                }
            }
            row = next;
        }
        row[text.len()]
    }

    proptest! {
        // A small alphabet, so that heads, tails and repeats collide often.
        #[test]
        fn matches_agrees_with_the_reference(
            pattern in "[aAb:*?]{0,8}",
            text in "[aAb:]{0,10}",
            ignore_case in any::<bool>(),
        ) {
            prop_assert_eq!(
                matches(&pattern, &text, ignore_case),
                reference(pattern.as_bytes(), text.as_bytes(), ignore_case)
            );
        }

        // Characters past ASCII: `?` stands for one character, not one byte, and case folds
        // as Unicode lowercasing does, wherever the first non-ASCII character falls.
        #[test]
        fn matches_agrees_with_the_reference_past_ascii(
            pattern in "[aAé:*?É]{0,8}",
            text in "[aAé:É]{0,10}",
            ignore_case in any::<bool>(),
        ) {
            let chars = |s: &str| s.chars().map(|c| c as u32).collect::<Vec<u32>>();
            let folded = |s: &str| {
                if ignore_case { s.to_lowercase() } else { s.to_string() }
            };
            let star = u32::from('*');
            let one = u32::from('?');
            let (p, t) = (chars(&folded(&pattern)), chars(&folded(&text)));
            prop_assert_eq!(
                matches(&pattern, &text, ignore_case),
                reference_units(&p, &t, star, one)
            );
        }

        // `covers` is sound: when it says yes, every literal text the narrower pattern matches
        // is matched by the wider one.
        #[test]
        fn covers_is_sound(
            general in "[ab*?]{0,6}",
            specific in "[ab*?]{0,6}",
            text in "[ab]{0,8}",
        ) {
            if covers(&general, &specific, false) && matches(&specific, &text, false) {
                prop_assert!(matches(&general, &text, false));
            }
        }
    }
}
