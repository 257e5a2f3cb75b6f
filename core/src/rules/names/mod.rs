//! Rules about names checked against the embedded catalog: actions, condition keys and
//! the value types of condition keys.
//!
//! Only the namespaces the catalog knows completely are judged (KMS, STS and the global
//! `aws:` keys); names of other services pass unchecked.

use crate::catalog::ConditionKeyInfo;
use crate::policy::{Checked, ConditionEntry, Operator};
use crate::rules::Rule;

pub(crate) mod forallvalues_with_single_valued_key;
pub(crate) mod forany_value_with_single_valued_key;
pub(crate) mod missing_qualifier;
pub(crate) mod operator_type_mismatch;
pub(crate) mod unknown_action;
pub(crate) mod unknown_condition_key;
pub(crate) mod unsupported_global_condition_key;

pub(crate) static RULES: &[&Rule] = &[
    &unknown_action::RULE,
    &unknown_condition_key::RULE,
    &unsupported_global_condition_key::RULE,
    &forallvalues_with_single_valued_key::RULE,
    &missing_qualifier::RULE,
    &operator_type_mismatch::RULE,
    &forany_value_with_single_valued_key::RULE,
];

/// Every condition entry whose operator IAM knows and whose key the catalog knows, with both.
fn typed_entries<'a>(
    doc: &Checked<'a>,
) -> impl Iterator<Item = (&'a ConditionEntry<'a>, Operator, ConditionKeyInfo)> + 'a {
    let policy = doc.policy;
    policy
        .statements
        .iter()
        .flat_map(|statement| statement.condition_entries().iter())
        .filter_map(|entry| Some((entry, entry.parsed?, entry.key_info?)))
}
