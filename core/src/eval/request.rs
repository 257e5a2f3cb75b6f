//! The request being evaluated: who calls, what action on what resource, with which context keys.

use std::borrow::Cow;
use std::cmp::Ordering;

/// The caller of a request, for matching `Principal` and `NotPrincipal`.
///
/// ```
/// use byokcheck_core::eval::PrincipalRef;
/// let vendor = PrincipalRef::from_arn("arn:aws:iam::358587034707:role/SegBots-Servers-Role");
/// assert_eq!(vendor.account, "358587034707");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrincipalRef<'r> {
    /// The caller's ARN: a role (`arn:aws:iam::ACCOUNT:role/PATH/NAME`), a user, or an
    /// assumed-role session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). Empty for a
    /// service or a federated caller.
    pub arn: &'r str,
    /// The caller's 12-digit account id; empty when it has none (a service).
    pub account: &'r str,
    /// The service principal (`kms.amazonaws.com`) when an AWS service calls.
    pub service: Option<&'r str>,
    /// The identity provider a web-identity or SAML caller authenticated with
    /// (`accounts.google.com`, `arn:aws:iam::ACCOUNT:saml-provider/NAME`).
    pub federated: Option<&'r str>,
}

impl<'r> PrincipalRef<'r> {
    /// A role, user or session caller; the account is read from the ARN's fifth part.
    pub fn from_arn(arn: &'r str) -> Self {
        Self {
            arn,
            account: arn_field(arn, 4),
            service: None,
            federated: None,
        }
    }

    /// An AWS service caller (`kms.amazonaws.com`).
    pub fn service(name: &'r str) -> Self {
        Self {
            arn: "",
            account: "",
            service: Some(name),
            federated: None,
        }
    }

    /// A federated caller of `provider`.
    pub fn federated(provider: &'r str) -> Self {
        Self {
            arn: "",
            account: "",
            service: None,
            federated: Some(provider),
        }
    }

    /// The role ARN behind an assumed-role session (`arn:P:sts::A:assumed-role/NAME/S` ->
    /// `arn:P:iam::A:role/NAME`), as IAM reports it in `aws:PrincipalArn`. The session ARN does
    /// not carry the role's path, so the result assumes the default path `/`.
    pub fn role_arn(&self) -> Option<String> {
        let (partition, account, name) = session_parts(self.arn)?;
        Some(format!("arn:{partition}:iam::{account}:role/{name}"))
    }
}

/// The `index`th `:`-separated field of `arn` (`""` when it has fewer), as
/// `arn.split(':').nth(index)` gives it; a byte scan, since every rule that looks at a
/// principal's account asks.
fn arn_field(arn: &str, index: usize) -> &str {
    let mut start = 0;
    let mut field = 0;
    for (at, byte) in arn.bytes().enumerate() {
        if byte == b':' {
            if field == index {
                return arn.get(start..at).unwrap_or_default();
            }
            field += 1;
            start = at + 1;
        }
    }
    if field == index {
        arn.get(start..).unwrap_or_default()
    } else {
        ""
    }
}

/// The six fields of an ARN (`arn:partition:service:region:account:resource`), as
/// `splitn(6, ':')` gives them when there are six; `None` when there are fewer. A byte loop:
/// principal matching asks this for every principal value against every caller, and `splitn`'s
/// searcher cost several times as much on these short strings.
pub(crate) fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    // The five colons found a word at a time; the resource part is the rest, unscanned (it is
    // most of an ARN's length). A colon is ASCII, so every cut is on a character boundary.
    let [a, b, c, d, e] = crate::bytescan::colon_positions::<5>(arn.as_bytes())?;
    Some([
        arn.get(..a)?,
        arn.get(a + 1..b)?,
        arn.get(b + 1..c)?,
        arn.get(c + 1..d)?,
        arn.get(d + 1..e)?,
        arn.get(e + 1..)?,
    ])
}

/// `(partition, account, role name)` of an assumed-role session ARN.
pub(crate) fn session_parts(arn: &str) -> Option<(&str, &str, &str)> {
    // Rules ask this of every `AWS` principal; almost none is a session, and one substring
    // search rules those out before the split.
    if !arn.contains(":assumed-role/") {
        return None;
    }
    let ["arn", partition, "sts", "", account, resource] = arn_parts(arn)? else {
        return None;
    };
    let rest = resource.strip_prefix("assumed-role/")?;
    let (name, session) = rest.split_once('/')?;
    (!name.is_empty() && !session.is_empty()).then_some((partition, account, name))
}

/// Condition keys of a request. Key names are case-insensitive, as in IAM; each key holds a
/// list of values (one for single-valued keys; any number for multivalued keys, where an empty
/// list is what `ForAllValues` and `ForAnyValue` call empty).
///
/// ```
/// use byokcheck_core::eval::RequestContext;
/// let context = RequestContext::new()
///     .with("sts:ExternalId", "tenant-42")
///     .with_many("aws:TagKeys", ["team", "env"]);
/// assert_eq!(context.get("STS:externalid"), Some(&["tenant-42".to_string()][..]));
/// assert_eq!(context.get("aws:TagKeys").map(<[String]>::len), Some(2));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// (key as first written, values), sorted by the lowercased key. A request has a handful
    /// of keys, so a sorted list beats a tree, and keys compare case-insensitively in place
    /// instead of through a lowercased copy per lookup (the key rules build thousands).
    keys: Vec<(String, Vec<String>)>,
}

/// How two keys order by their lowercase forms (what IAM's case-insensitive key names mean).
fn key_order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value to `key` (a second call for the same key makes it multivalued).
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.insert(key, [value]);
        self
    }

    /// Adds values to `key`; with no values the key is present and empty.
    pub fn with_many<I, V>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        self.insert(key, values);
        self
    }

    /// Adds values to `key` in place.
    pub fn insert<I, V>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        let at = match self.find(key) {
            Ok(at) => at,
            Err(at) => {
                self.keys.insert(at, (key.to_string(), Vec::new()));
                at
            }
        };
        if let Some((_, existing)) = self.keys.get_mut(at) {
            existing.extend(values.into_iter().map(Into::into));
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.keys
            .binary_search_by(|(written, _)| key_order(written, key))
    }

    /// Removes `key`, whatever its case.
    pub fn remove(&mut self, key: &str) {
        if let Ok(at) = self.find(key) {
            self.keys.remove(at);
        }
    }

    /// The values of `key`, whatever its case; `None` when the key is absent.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        let at = self.find(key).ok()?;
        self.keys.get(at).map(|(_, values)| values.as_slice())
    }

    /// Every key as first written, with its values, in the order of their lowercase forms.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.keys
            .iter()
            .map(|(key, values)| (key.as_str(), values.as_slice()))
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// One request against one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'r> {
    /// The caller; `None` for an anonymous request. Only resource, key and trust policies
    /// match it (see [`crate::eval::PrincipalMode`]).
    pub principal: Option<PrincipalRef<'r>>,
    /// `service:Action`, e.g. `kms:Decrypt` or `sts:AssumeRole`.
    pub action: &'r str,
    /// The resource ARN (the key ARN for KMS, the role ARN for `sts:AssumeRole`).
    pub resource: &'r str,
    pub context: &'r RequestContext,
}

impl<'r> Request<'r> {
    /// An anonymous request; add the caller with [`Request::by`].
    pub fn new(action: &'r str, resource: &'r str, context: &'r RequestContext) -> Self {
        Self {
            principal: None,
            action,
            resource,
            context,
        }
    }

    /// The same request made by `principal`.
    pub fn by(self, principal: PrincipalRef<'r>) -> Self {
        Self {
            principal: Some(principal),
            ..self
        }
    }

    /// The values of condition key `key`: those of the context, else the ones IAM derives from
    /// the caller of every signed request (`aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:PrincipalServiceName`, and `aws:username` for an IAM user). `None` when absent.
    pub fn values(&self, key: &str) -> Option<Vec<Cow<'r, str>>> {
        let context: &'r RequestContext = self.context;
        if let Some(values) = context.get(key) {
            return Some(values.iter().map(|v| Cow::Borrowed(v.as_str())).collect());
        }
        let principal = self.principal?;
        let derived: Option<Cow<'r, str>> = match key.to_ascii_lowercase().as_str() {
            "aws:principalarn" if !principal.arn.is_empty() => Some(
                principal
                    .role_arn()
                    .map_or(Cow::Borrowed(principal.arn), Cow::Owned),
            ),
            "aws:principalaccount" if !principal.account.is_empty() => {
                Some(Cow::Borrowed(principal.account))
            }
            "aws:principalservicename" => principal.service.map(Cow::Borrowed),
            "aws:username" => user_name(principal.arn).map(Cow::Borrowed),
            _ => None,
        };
        derived.map(|value| vec![value])
    }
}

/// The user name of an IAM user ARN (`arn:P:iam::A:user/PATH/NAME`).
fn user_name(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some("iam"), Some(""), Some(_), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let path_and_name = resource.strip_prefix("user/")?;
    path_and_name
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// A session ARN needs both its role name and its session name.
    #[test]
    fn a_session_arn_names_a_role_and_a_session() {
        let arn = |resource: &str| format!("arn:aws:sts::111122223333:{resource}");
        assert_eq!(
            super::session_parts(&arn("assumed-role/Byok/worker")),
            Some(("aws", "111122223333", "Byok"))
        );
        assert_eq!(super::session_parts(&arn("assumed-role/Byok/")), None);
        assert_eq!(super::session_parts(&arn("assumed-role//worker")), None);
    }

    /// A non-ASCII key is compared through its Unicode lowercase form even against an ASCII
    /// one: the Kelvin sign lowercases to `k`.
    #[test]
    fn a_non_ascii_key_meets_its_ascii_lowercase_form() {
        let context = super::RequestContext::new().with("k", "1");
        assert_eq!(context.get("\u{212A}"), Some(&["1".to_string()][..]));
        let context = super::RequestContext::new().with("\u{212A}", "1");
        assert_eq!(context.get("k"), Some(&["1".to_string()][..]));
    }

    proptest! {
        /// The sorted list behaves as the map from lowercased key it replaced.
        #[test]
        fn the_context_is_a_map_from_lowercased_keys(
            operations in proptest::collection::vec(("[aAbBİi:]{0,3}", any::<bool>(), "[xy]{0,2}"), 0..12),
            probe in "[aAbBİi:]{0,3}",
        ) {
            let mut context = super::RequestContext::new();
            let mut model: std::collections::BTreeMap<String, (String, Vec<String>)> =
                std::collections::BTreeMap::new();
            for (key, remove, value) in &operations {
                if *remove {
                    context.remove(key);
                    model.remove(&key.to_lowercase());
                } else {
                    context.insert(key, [value.as_str()]);
                    model
                        .entry(key.to_lowercase())
                        .or_insert_with(|| (key.clone(), Vec::new()))
                        .1
                        .push(value.clone());
                }
            }
            let listed: Vec<(&str, &[String])> = context.iter().collect();
            let expected: Vec<(&str, &[String])> =
                model.values().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
            prop_assert_eq!(listed, expected);
            prop_assert_eq!(
                context.get(&probe),
                model.get(&probe.to_lowercase()).map(|(_, v)| v.as_slice())
            );
            prop_assert_eq!(context.is_empty(), model.is_empty());
        }

        #[test]
        fn arn_parts_are_the_six_split_fields(arn in "[a-zé0-9/]{0,4}(:[a-zé0-9/]{0,4}){0,8}") {
            let split: Vec<&str> = arn.splitn(6, ':').collect();
            let expected = <[&str; 6]>::try_from(split.as_slice()).ok();
            prop_assert_eq!(super::arn_parts(&arn), expected);
        }

        #[test]
        fn arn_field_is_the_split_field(arn in "[a-z:/é0-9]{0,24}", index in 0usize..7) {
            prop_assert_eq!(
                super::arn_field(&arn, index),
                arn.split(':').nth(index).unwrap_or_default()
            );
        }
    }
}
