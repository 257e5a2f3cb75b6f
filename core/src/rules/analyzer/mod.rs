//! IAM Access Analyzer's general policy checks that the other areas do not already cover:
//! VPC identifiers, tag keys, private source addresses, broad `iam:PassRole` and
//! `iam:CreateServiceLinkedRole` grants, redundant entries and statements, service and
//! federated principals, and ARN fields a service does not take. Each rule names the Access
//! Analyzer issue codes it stands for.

use crate::policy::{BaseOperator, ConditionEntry, Family, Str, ValueType};
use crate::rules::values::support::parse_ip_range;
use crate::rules::Rule;
use support::ByteSignature;

mod broad_grant;
mod federation;
pub(crate) mod resource_arn;
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
/// Reports each entry of `element` that another entry of the same list repeats or covers
/// (X007 for actions, X008 for resources: the same check over a different list).
fn report_redundant(
    rule: &'static crate::rules::Rule,
    statement: &crate::policy::Statement<'_>,
    element: &crate::policy::ListElement<'_>,
    (positive, negative): (&'static str, &'static str),
    ignore_case: bool,
    sink: &mut crate::rules::Sink,
) {
    let name = element.name(positive, negative);
    for (value, by) in redundant_entries(element.values.items, ignore_case) {
        let repeat = if ignore_case {
            value.value.eq_ignore_ascii_case(by.value)
        } else {
            value.value == by.value
        };
        let message = if repeat {
            format!(
                "`{}` is listed twice in the `{name}` of {}",
                value.value,
                statement.label()
            )
        } else {
            format!(
                "`{}` is already covered by `{}` in the `{name}` of {}",
                value.value,
                by.value,
                statement.label()
            )
        };
        sink.report(
            rule,
            value.span,
            message,
            Some(format!("remove `{}`", value.value)),
        );
    }
}

/// Up to this many entries, comparing every pair costs less than sorting. At most 32: the
/// pairwise walk keeps one bit per wildcard in a `u32`.
const SHORT_LIST: usize = 32;
const _: () = assert!(SHORT_LIST <= 32);

fn redundant_entries_by_pairs<'a>(items: &[Str<'a>], ignore_case: bool) -> Vec<(Str<'a>, Str<'a>)> {
    let same = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    // Each entry's first eight bytes (lowercased when case is ignored) as one word, computed
    // once: the word settles nearly every pair in one comparison before any byte-wise test.
    let mut words = [0u64; SHORT_LIST];
    // Only an entry with a wildcard can cover another; most lists have none or one. Each, in
    // position order: its position and where its first wildcard is (its literal head's
    // length); apart, a mask over the words of the head's first (up to eight) bytes and its own
    // word under that mask. A wildcard covers only entries that start with its literal head,
    // so their words must agree under it. The masks sit in arrays of their own so that every
    // wildcard is tested against an entry in a branch-free loop of a few instructions each.
    let mut wildcards = [(0usize, 0usize); SHORT_LIST];
    let mut masks = [0u64; SHORT_LIST];
    let mut masked_words = [0u64; SHORT_LIST];
    let mut wildcard_count = 0;
    for ((i, item), word) in items.iter().enumerate().zip(&mut words) {
        let mut first = [0u8; 8];
        let length = item.value.len().min(8);
        if let (Some(head), Some(bytes)) =
            (first.get_mut(..length), item.value.as_bytes().get(..length))
        {
            head.copy_from_slice(bytes);
        }
        if ignore_case {
            first.make_ascii_lowercase();
        }
        *word = u64::from_le_bytes(first);
        if let Some(head) = crate::bytescan::wildcard_position(item.value.as_bytes()) {
            let head_bytes = head.min(8) as u32;
            let mask = u64::MAX.checked_shr(64 - 8 * head_bytes).unwrap_or(0);
            if let (Some(slot), Some(mask_slot), Some(masked_slot)) = (
                wildcards.get_mut(wildcard_count),
                masks.get_mut(wildcard_count),
                masked_words.get_mut(wildcard_count),
            ) {
                *slot = (i, head);
                *mask_slot = mask;
                *masked_slot = *word & mask;
                wildcard_count += 1;
            }
        }
    }
    let wildcards = wildcards.get(..wildcard_count).unwrap_or_default();
    let masks = masks.get(..wildcard_count).unwrap_or_default();
    let masked_words = masked_words.get(..wildcard_count).unwrap_or_default();
    let word = |i: usize| words.get(i).copied().unwrap_or_default();
    let mut signatures = [None; SHORT_LIST];
    let equal = |g: usize, general: &str, s: usize, specific: &str| {
        word(g) == word(s) && general.len() == specific.len() && same(general, specific)
    };
    let mut found = Vec::new();
    for (s, specific) in items.iter().enumerate() {
        let specific_word = word(s);
        // The earliest entry that makes `specific` redundant: an earlier copy of it, or a
        // wildcard that covers it (of two that cover each other, the earlier one). Copies are
        // sought among the earlier words equal to this one: a scan of a few machine words.
        let mut by = words
            .get(..s)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|&(_, &word)| word == specific_word)
            .map(|(g, _)| g)
            .find(|&g| {
                items
                    .get(g)
                    .is_some_and(|general| equal(g, general.value, s, specific.value))
            });
        // Bit k: wildcard k's head agrees with this entry's word (`SHORT_LIST` fits in 32).
        let mut candidates = 0u32;
        for (k, (&mask, &masked)) in masks.iter().zip(masked_words).enumerate() {
            candidates |= u32::from(specific_word & mask == masked) << k;
        }
        while candidates != 0 {
            let k = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let Some(&(g, head)) = wildcards.get(k) else {
                break;
            };
            if by.is_some_and(|earliest| earliest <= g) {
                break;
            }
            let Some(general) = items.get(g) else {
                continue;
            };
            // A copy is settled above: the earlier one makes the later redundant.
            if g == s || equal(g, general.value, s, specific.value) {
                continue;
            }
            let head_matches = match (
                general.value.as_bytes().get(..head),
                specific.value.as_bytes().get(..head),
            ) {
                (Some(g), Some(s)) if ignore_case => g.eq_ignore_ascii_case(s),
                (Some(g), Some(s)) => g == s,
                _ => false,
            };
            if head_matches
                && ByteSignature::cached(&mut signatures, g, general.value)
                    .may_cover(ByteSignature::cached(&mut signatures, s, specific.value))
                && support::pattern_covers(general.value, specific.value, ignore_case)
                && (g < s || !support::pattern_covers(specific.value, general.value, ignore_case))
            {
                by = Some(g);
                break;
            }
        }
        if let Some(general) = by.and_then(|g| items.get(g)) {
            found.push((*specific, *general));
        }
    }
    found
}

/// Each entry of `items` that another entry covers, with the one covering it. Of two entries
/// that cover each other (the same text), only the later is redundant. Lists run to 1,500
/// actions in AWS's own policies: the entries are sorted once, so a wildcard entry is compared
/// only with the entries that start with its literal head (a binary search away), and repeats
/// are neighbours.
fn redundant_entries<'a>(items: &[Str<'a>], ignore_case: bool) -> Vec<(Str<'a>, Str<'a>)> {
    if items.len() < 2 {
        return Vec::new();
    }
    // Short lists (nearly every real statement): every pair, with no sorting and no allocation
    // but the result. The same verdicts as the sorted walk below.
    if items.len() <= SHORT_LIST {
        return redundant_entries_by_pairs(items, ignore_case);
    }
    redundant_entries_by_sorting(items, ignore_case)
}

fn redundant_entries_by_sorting<'a>(
    items: &[Str<'a>],
    ignore_case: bool,
) -> Vec<(Str<'a>, Str<'a>)> {
    // Sorted by the compared form: the text itself, or for action names its lowercase, built
    // once into one buffer so that comparisons are slice comparisons.
    let lowered = ignore_case.then(|| {
        let mut buffer = String::with_capacity(items.iter().map(|i| i.value.len()).sum());
        let mut ends = Vec::with_capacity(items.len());
        for item in items {
            let start = buffer.len();
            buffer.push_str(item.value);
            if let Some(added) = buffer.get_mut(start..) {
                added.make_ascii_lowercase();
            }
            ends.push(buffer.len());
        }
        (buffer, ends)
    });
    // Each entry's compared text beside its position, sorted: comparisons are then plain
    // slice comparisons, and the position breaks ties so the order is total. In front, the
    // text's first eight bytes as one big-endian word, whose order is the text's: it settles
    // most comparisons, where a sort by text alone spent a `memcmp` call on each.
    let first_word = |text: &str| {
        let mut word = [0u8; 8];
        for (slot, byte) in word.iter_mut().zip(text.bytes()) {
            *slot = byte;
        }
        u64::from_be_bytes(word)
    };
    let mut sorted: Vec<(u64, &str, usize)> = match &lowered {
        Some((buffer, ends)) => {
            let mut start = 0;
            ends.iter()
                .enumerate()
                .map(|(i, &end)| {
                    let text = buffer.get(start..end).unwrap_or_default();
                    start = end;
                    (first_word(text), text, i)
                })
                .collect()
        }
        None => items
            .iter()
            .enumerate()
            .map(|(i, item)| (first_word(item.value), item.value, i))
            .collect(),
    };
    sorted.sort_unstable();
    // For each entry, the entry that makes it redundant (the earliest such, by position).
    let mut by: Vec<Option<usize>> = vec![None; items.len()];
    let keep_earliest = |slot: &mut Option<usize>, candidate: usize| {
        if slot.is_none_or(|current| candidate < current) {
            *slot = Some(candidate);
        }
    };
    // Repeats: the same text sorts together, first by position; every later copy is redundant.
    for run in sorted.chunk_by(|a, b| a.1 == b.1) {
        let first = run.first().map_or(0, |&(_, _, i)| i);
        for &(_, _, i) in run.iter().skip(1) {
            if let Some(slot) = by.get_mut(i) {
                keep_earliest(slot, first);
            }
        }
    }
    // A hostile list of thousands of overlapping wildcards would cost millions of comparisons;
    // past this budget only repeats are reported.
    let mut budget: usize = 1_000_000;
    let mut signatures = vec![None; items.len()];
    for &(_, general, g) in sorted
        .iter()
        .filter(|(_, text, _)| support::has_wildcard(text))
    {
        let literal_head = support::literal_head(general);
        let from = sorted.partition_point(|&(_, text, _)| text < literal_head);
        for &(_, specific, s) in sorted.get(from..).unwrap_or_default() {
            if !specific.starts_with(literal_head) || budget == 0 {
                break;
            }
            budget -= 1;
            if s == g || specific == general {
                continue;
            }
            let covers = ByteSignature::cached(&mut signatures, g, general)
                .may_cover(ByteSignature::cached(&mut signatures, s, specific))
                && support::pattern_covers(general, specific, ignore_case);
            // Two different texts that cover each other: only the later one is redundant.
            if covers && (g < s || !support::pattern_covers(specific, general, ignore_case)) {
                if let Some(slot) = by.get_mut(s) {
                    keep_earliest(slot, g);
                }
            }
        }
    }
    items
        .iter()
        .zip(by)
        .filter_map(|(item, by)| Some((*item, *items.get(by?)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::policy::Str;
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::source::Span;
    use crate::DocumentKind;

    /// An `Action` list of `copies` times `s3:Get*` followed by `sts:Assume*` and
    /// `sts:AssumeRole`, with the entries X007 flags in it.
    fn flagged_after_copies(copies: usize) -> Vec<String> {
        let mut actions = vec!["\"s3:Get*\""; copies];
        actions.extend(["\"sts:Assume*\"", "\"sts:AssumeRole\""]);
        let text = statement(&format!(
            r#""Action": [{}], "Resource": "*""#,
            actions.join(", ")
        ));
        findings(&text, DocumentKind::Iam, "X007")
            .iter()
            .map(|f| under(&text, f).to_string())
            .collect()
    }

    #[test]
    fn past_the_comparison_budget_only_repeats_are_reported() {
        // 999 copies cost 998,001 comparisons among themselves: the budget is not spent and
        // the covered `sts:AssumeRole` is reported after the repeats.
        let flagged = flagged_after_copies(999);
        assert_eq!(flagged.len(), 999);
        assert!(flagged[..998].iter().all(|f| f == "\"s3:Get*\""));
        assert_eq!(flagged[998], "\"sts:AssumeRole\"");
        // 1,001 copies of one wildcard spend the 1,000,000 comparisons among themselves
        // (each copy against every copy) before `sts:Assume*` is reached: every repeat is
        // still reported, the covered `sts:AssumeRole` no longer is.
        let flagged = flagged_after_copies(1_001);
        assert_eq!(flagged.len(), 1_000);
        assert!(flagged.iter().all(|f| f == "\"s3:Get*\""));
    }

    #[test]
    fn of_two_wildcards_that_cover_each_other_only_the_later_is_reported() {
        // `kms:Describe*` and `kms:describe**` match the same actions; in a short list (every
        // pair compared) and in a long one (sorted), the later is the redundant one. The
        // pattern `kms:Get*Policy` shares its head with `kms:GetKeyRotationStatus` but does
        // not cover it.
        for fillers in [0, 40] {
            let mut actions: Vec<String> = (0..fillers).map(|i| format!("\"s3:Get{i}\"")).collect();
            actions.extend([
                "\"kms:Get*Policy\"".into(),
                "\"kms:Describe*\"".into(),
                "\"kms:describe**\"".into(),
                "\"kms:GetKeyRotationStatus\"".into(),
            ]);
            let text = statement(&format!(
                r#""Action": [{}], "Resource": "*""#,
                actions.join(", ")
            ));
            let found = findings(&text, DocumentKind::Iam, "X007");
            assert_eq!(found.len(), 1, "{fillers}: {found:#?}");
            assert_eq!(under(&text, &found[0]), "\"kms:describe**\"");
            assert_eq!(
                found[0].message,
                "`kms:describe**` is already covered by `kms:Describe*` in the `Action` of statement 0"
            );
        }
    }

    proptest! {
        /// The pairwise path for short lists and the sorted path for long ones give the same
        /// verdicts (the pairwise path's one-word pre-filter included).
        #[test]
        fn pairs_and_sorting_agree(
            texts in proptest::collection::vec(
                prop_oneof![
                    "(kms|KMS|s3):[a-dA-D*?]{0,12}",
                    "[a-c*?\u{0}]{0,10}",
                    Just("kms:Describe*".to_string()),
                    Just("kms:DescribeKey".to_string()),
                    Just("*".to_string()),
                ],
                0..=super::SHORT_LIST,
            ),
            ignore_case in any::<bool>(),
        ) {
            let items: Vec<Str<'_>> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| Str { value: text.as_str(), span: Span::new(i, i + 1) })
                .collect();
            let key = |found: Vec<(Str<'_>, Str<'_>)>| {
                let mut spans: Vec<(Span, Span)> = found.iter().map(|(a, b)| (a.span, b.span)).collect();
                spans.sort();
                spans
            };
            prop_assert_eq!(
                key(super::redundant_entries_by_pairs(&items, ignore_case)),
                key(super::redundant_entries_by_sorting(&items, ignore_case))
            );
        }
    }
}
