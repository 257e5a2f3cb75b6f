//! What the live test must never print in full: credentials (never at all) and the External ID
//! (all but its last 4 characters).

/// `**************byok`: the length stays, so a person can tell two IDs apart by their end
/// without the output revealing the ID.
pub fn mask_external_id(external_id: &str) -> String {
    let count = external_id.chars().count();
    let keep = if count > 4 { 4 } else { 0 };
    external_id
        .chars()
        .enumerate()
        .map(|(i, c)| if i + keep >= count { c } else { '*' })
        .collect()
}

/// Replaces every occurrence of each secret in `text`, and anything shaped like an AWS access
/// key id (`AKIA`/`ASIA` and 16 upper-case letters or digits), by a placeholder. AWS error
/// messages do not carry secrets today; this makes sure none is ever echoed.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(secret.as_str(), "[redacted]");
    }
    let mut redacted = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find(['A']) {
        let (head, tail) = rest.split_at(at);
        redacted.push_str(head);
        let token_len = tail
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .count();
        let is_key_id = (tail.starts_with("AKIA") || tail.starts_with("ASIA")) && token_len >= 16;
        let (token, after) = tail.split_at(token_len.max(1));
        if is_key_id {
            redacted.push_str("[access key id]");
        } else {
            redacted.push_str(token);
        }
        rest = after;
    }
    redacted.push_str(rest);
    redacted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_ids_keep_only_their_last_four_characters() {
        assert_eq!(mask_external_id("kore-7f3a9c2e-byok"), "**************byok");
        assert_eq!(mask_external_id("abcd"), "****");
        assert_eq!(mask_external_id("ab"), "**");
        assert_eq!(mask_external_id(""), "");
    }

    #[test]
    fn secrets_and_access_key_ids_never_pass() {
        let secrets = vec!["wJalrXUtnFEMI/K7MDENG".to_string()];
        let text = "bad signature for AKIAIOSFODNN7EXAMPLE with wJalrXUtnFEMI/K7MDENG; ASIA1234 AccessDenied";
        let out = redact(text, &secrets);
        assert!(
            !out.contains("AKIAIOSFODNN7EXAMPLE") && !out.contains("wJalrXUtnFEMI"),
            "{out}"
        );
        assert!(
            out.contains("[access key id]") && out.contains("[redacted]"),
            "{out}"
        );
        // Short upper-case words are not key ids.
        assert!(out.contains("ASIA1234 AccessDenied"), "{out}");
    }
}
