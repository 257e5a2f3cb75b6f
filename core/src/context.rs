//! The setup context: who the vendor is and what the customer shares.

use serde::{Deserialize, Serialize};

/// A vendor instance and the service role its platform assumes customer roles with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Instance {
    pub name: &'static str,
    pub service_role_arn: &'static str,
}

/// Known vendor instances. Instances are data: add one line per instance.
pub const INSTANCES: &[Instance] = &[Instance {
    name: "platform.kore.ai",
    service_role_arn: "arn:aws:iam::358587034707:role/SegBots-Servers-Role",
}];

/// The default instance, as the vendor's setup guide writes it.
pub const DEFAULT_INSTANCE: &str = "platform.kore.ai";

pub fn instance(name: &str) -> Option<&'static Instance> {
    INSTANCES
        .iter()
        .find(|i| i.name.eq_ignore_ascii_case(name.trim()))
}

/// Everything a check may compare a document against. Every part is optional: a check that
/// needs a missing part says what it could not check instead of guessing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// A known vendor instance (`platform.kore.ai`); gives the service role ARN.
    #[serde(default)]
    pub instance: Option<String>,
    /// The vendor's service role ARN; overrides the instance's.
    #[serde(default)]
    pub service_role_arn: Option<String>,
    /// The External ID the vendor's console shows.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The customer's BYOK role ARN.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// The customer's KMS key ARN.
    #[serde(default)]
    pub cmk_arn: Option<String>,
}

impl Context {
    /// The vendor's service role ARN: the explicit one, else the instance's.
    pub fn vendor_role_arn(&self) -> Option<&str> {
        self.service_role_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                self.instance
                    .as_deref()
                    .and_then(instance)
                    .map(|i| i.service_role_arn)
            })
    }

    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref().filter(|s| !s.is_empty())
    }

    pub fn role_arn(&self) -> Option<&str> {
        self.role_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub fn cmk_arn(&self) -> Option<&str> {
        self.cmk_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The context rule examples and tests use: the Kore.ai instance and a synthetic customer.
    pub fn example() -> Self {
        Self {
            instance: Some(DEFAULT_INSTANCE.into()),
            service_role_arn: None,
            external_id: Some("kore-7f3a9c2e-byok".into()),
            role_arn: Some("arn:aws:iam::111122223333:role/BYOK_Role".into()),
            cmk_arn: Some(
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    .into(),
            ),
        }
    }
}

/// Why `external_id` is not a value STS accepts, if it is not: 2 to 1,224 characters of
/// letters, digits and `_ + = , . @ : / -` (the `AssumeRole` API's `ExternalId` pattern).
pub fn external_id_problem(external_id: &str) -> Option<String> {
    Some(match external_id_fault(external_id)? {
        ExternalIdFault::Length(length) if length < 2 => format!(
            "the External ID `{external_id}` has {length} character(s); STS requires 2 to 1,224"
        ),
        ExternalIdFault::Length(length) => {
            format!("the External ID has {length} characters; STS accepts at most 1,224")
        }
        ExternalIdFault::Character(c) => format!(
            "the External ID `{external_id}` contains `{}`; STS accepts only letters, digits and `_ + = , . @ : / -`",
            c.escape_debug()
        ),
    })
}

/// What is wrong with an External ID: its length in characters, or its first character STS
/// does not accept (the length is judged first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExternalIdFault {
    Length(usize),
    Character(char),
}

fn external_id_fault(external_id: &str) -> Option<ExternalIdFault> {
    // By bytes: every allowed character is ASCII, so the first byte that is not allowed starts
    // the first character that is not, and an all-allowed id has as many characters as bytes.
    let allowed = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b':' | b'/' | b'-'
            )
    };
    let not_allowed = external_id.bytes().position(|b| !allowed(b));
    let length = match not_allowed {
        None => external_id.len(),
        Some(_) => external_id.chars().count(),
    };
    if !(2..=1224).contains(&length) {
        return Some(ExternalIdFault::Length(length));
    }
    let at = not_allowed?;
    external_id
        .get(at..)?
        .chars()
        .next()
        .map(ExternalIdFault::Character)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character rule the byte scan stands for.
    fn external_id_fault_by_chars(external_id: &str) -> Option<ExternalIdFault> {
        let length = external_id.chars().count();
        if !(2..=1224).contains(&length) {
            return Some(ExternalIdFault::Length(length));
        }
        let allowed = |c: &char| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(*c);
        external_id
            .chars()
            .find(|c| !allowed(c))
            .map(ExternalIdFault::Character)
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_character_rule(
            id in "[a-zA-Z0-9_+=,.@:/ é\u{1F600}\n\\-]{0,6}",
            repeat in 1usize..=250,
        ) {
            // Repeated, to cross the 1,224-character limit with and without multi-byte
            // characters.
            let id = id.repeat(repeat);
            proptest::prop_assert_eq!(external_id_fault(&id), external_id_fault_by_chars(&id));
        }
    }

    #[test]
    fn external_id_format_follows_the_sts_pattern() {
        assert_eq!(external_id_problem("kore-7f3a9c2e-byok"), None);
        assert_eq!(external_id_problem("a_b+c=d,e.f@g:h/i-j"), None);
        assert!(external_id_problem("x").unwrap().contains("2 to 1,224"));
        assert!(external_id_problem("has space").unwrap().contains("` `"));
        assert!(external_id_problem(&"a".repeat(1225))
            .unwrap()
            .contains("at most 1,224"));
    }

    #[test]
    fn vendor_role_comes_from_the_instance_unless_given() {
        let mut context = Context::example();
        assert_eq!(
            context.vendor_role_arn(),
            Some("arn:aws:iam::358587034707:role/SegBots-Servers-Role")
        );
        context.service_role_arn = Some("arn:aws:iam::123456789012:role/Other".into());
        assert_eq!(
            context.vendor_role_arn(),
            Some("arn:aws:iam::123456789012:role/Other")
        );
        context.service_role_arn = None;
        context.instance = Some("unknown.example".into());
        assert_eq!(context.vendor_role_arn(), None);
    }
}
