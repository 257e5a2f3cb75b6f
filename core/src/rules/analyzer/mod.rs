//! IAM Access Analyzer's general policy checks that the other areas do not already cover:
//! VPC identifiers, tag keys, private source addresses, broad `iam:PassRole` and
//! `iam:CreateServiceLinkedRole` grants, redundant entries and statements, service and
//! federated principals, and ARN fields a service does not take. Each rule names the Access
//! Analyzer issue codes it stands for.

use crate::policy::{BaseOperator, ConditionEntry, Family, Str, ValueType};
use crate::rules::values::support::parse_ip_range;
use crate::rules::Rule;

mod broad_grant;
mod federation;
mod resource_arn;
mod support;

pub(crate) mod arn_account_not_allowed;
pub(crate) mod arn_region_not_allowed;
pub(crate) mod create_slr;
pub(crate) mod federated_principal_in_key_policy;
pub(crate) mod github_sub_wildcard;
pub(crate) mod github_without_repo_condition;
pub(crate) mod invalid_federated_principal;
pub(crate) mod invalid_vpc_format;
pub(crate) mod mismatched_action_for_principal;
pub(crate) mod missing_action_for_condition_key;
pub(crate) mod missing_arn_region;
pub(crate) mod missing_tag_key;
pub(crate) mod oidc_principal_without_condition;
pub(crate) mod pass_role;
pub(crate) mod private_ip_address_subset;
pub(crate) mod private_not_ip_address;
pub(crate) mod redundant_action;
pub(crate) mod redundant_condition_value_num;
pub(crate) mod redundant_resource;
pub(crate) mod redundant_statement;
pub(crate) mod service_principal_without_source;

pub(crate) static RULES: &[&Rule] = &[
    &invalid_vpc_format::RULE,
    &missing_tag_key::RULE,
    &private_not_ip_address::RULE,
    &private_ip_address_subset::RULE,
    &pass_role::RULE,
    &create_slr::RULE,
    &redundant_action::RULE,
    &redundant_resource::RULE,
    &redundant_statement::RULE,
    &redundant_condition_value_num::RULE,
    &service_principal_without_source::RULE,
    &oidc_principal_without_condition::RULE,
    &github_without_repo_condition::RULE,
    &github_sub_wildcard::RULE,
    &mismatched_action_for_principal::RULE,
    &invalid_federated_principal::RULE,
    &missing_action_for_condition_key::RULE,
    &federated_principal_in_key_policy::RULE,
    &arn_region_not_allowed::RULE,
    &missing_arn_region::RULE,
    &arn_account_not_allowed::RULE,
];

/// The IP operator of an `aws:SourceIp` entry with its private and public values, when every
/// value is a string that parses as an address or range (other values are other rules' job).
fn ip_ranges<'a>(entry: &ConditionEntry<'a>) -> Option<(BaseOperator, Vec<&'a str>, Vec<&'a str>)> {
    let operator = entry.parsed?;
    if operator.base.family() != Family::Ip || !entry.key.value.eq_ignore_ascii_case("aws:SourceIp")
    {
        return None;
    }
    let mut private = Vec::new();
    let mut public = Vec::new();
    for value in &entry.values {
        if value.value_type != ValueType::String {
            return None;
        }
        if parse_ip_range(value.text)?.is_private() {
            private.push(value.text);
        } else {
            public.push(value.text);
        }
    }
    Some((operator.base, private, public))
}

/// The text before the `colons`-th colon (`kms` of `kms:Decrypt` with 1, `arn:aws:s3` of an
/// S3 ARN with 3), when it has no wildcard: a pattern whose head is written out can only cover
/// values with the same head.
fn head(value: &str, colons: usize) -> Option<&str> {
    let end = value.match_indices(':').nth(colons.checked_sub(1)?)?.0;
    value.get(..end).filter(|h| !support::has_wildcard(h))
}

/// Each entry of `items` that another entry covers, with the one covering it. Of two entries
/// that cover each other (the same text), only the later is redundant. Lists run to 1,500
/// actions in AWS's own policies, so repeats are found by hashing, and wildcard entries are
/// compared only with entries of the same head (service, or ARN up to the service).
fn redundant_entries<'a>(
    items: &[Str<'a>],
    ignore_case: bool,
    colons: usize,
) -> Vec<(Str<'a>, Str<'a>)> {
    use std::collections::hash_map::{Entry, HashMap};
    let normal = |s: &str| {
        if ignore_case {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    // Wildcard entries by head; those whose head has a wildcard can cover anything.
    let mut by_head: HashMap<String, Vec<usize>> = HashMap::new();
    let mut anywhere: Vec<usize> = Vec::new();
    let mut all_wildcards: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !support::has_wildcard(item.value) {
            continue;
        }
        all_wildcards.push(i);
        match head(item.value, colons) {
            Some(h) => by_head.entry(normal(h)).or_default().push(i),
            None => anywhere.push(i),
        }
    }
    if items.len() < 2 {
        return Vec::new();
    }
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    // A hostile list of thousands of overlapping wildcards would cost millions of comparisons;
    // past this budget only repeats are reported.
    let mut budget: usize = 1_000_000;
    for (j, specific) in items.iter().enumerate() {
        let earlier = match first.entry(normal(specific.value)) {
            Entry::Occupied(seen) => items.get(*seen.get()),
            Entry::Vacant(slot) => {
                slot.insert(j);
                None
            }
        };
        if earlier.is_none() && all_wildcards.is_empty() {
            continue;
        }
        let candidates: &mut dyn Iterator<Item = &usize> = match head(specific.value, colons) {
            Some(h) => &mut by_head
                .get(&normal(h))
                .into_iter()
                .flatten()
                .chain(&anywhere),
            None => &mut all_wildcards.iter(),
        };
        let by = earlier.or_else(|| {
            candidates
                .copied()
                .filter(|i| *i != j)
                .take_while(|_| {
                    budget = budget.saturating_sub(1);
                    budget > 0
                })
                .filter_map(|i| items.get(i).map(|general| (i, general)))
                .find(|(i, general)| {
                    support::pattern_covers(general.value, specific.value, ignore_case)
                        && (*i < j
                            || !support::pattern_covers(specific.value, general.value, ignore_case))
                })
                .map(|(_, general)| general)
        });
        if let Some(general) = by {
            found.push((*specific, *general));
        }
    }
    found
}
