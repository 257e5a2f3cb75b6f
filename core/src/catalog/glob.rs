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
    let mut p = 0;
    let mut t = 0;
    // After a `*`: where the pattern resumes, and the text position the star has reached.
    let mut star: Option<(usize, usize)> = None;
    loop {
        let pc = next_char(pattern, p);
        let tc = next_char(text, t);
        match (pc, tc) {
            (Some('*'), _) => {
                p += 1;
                star = Some((p, t));
                continue;
            }
            (Some(pc), Some(tc)) if pc == '?' || same(pc, tc, ignore_case) => {
                p += pc.len_utf8();
                t += tc.len_utf8();
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        // Mismatch: let the last star swallow one more character and retry from there.
        let Some((resume, reached)) = star else {
            return false;
        };
        let Some(swallowed) = next_char(text, reached) else {
            return false;
        };
        let reached = reached + swallowed.len_utf8();
        star = Some((resume, reached));
        p = resume;
        t = reached;
    }
}

fn next_char(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|rest| rest.chars().next())
}

fn same(a: char, b: char, ignore_case: bool) -> bool {
    a == b || (ignore_case && a.to_lowercase().eq(b.to_lowercase()))
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
