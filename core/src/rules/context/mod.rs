//! Rules about the setup context itself.

use crate::rules::Rule;

pub(crate) mod accounts_disagree;
pub(crate) mod context_missing;
pub(crate) mod partitions_disagree;

pub(crate) static RULES: &[&Rule] = &[
    &context_missing::RULE,
    &accounts_disagree::RULE,
    &partitions_disagree::RULE,
];
