//! The IAM policy grammar, as IAM Access Analyzer's policy validation checks it, plus the KMS
//! key-policy dialect.

use crate::rules::Rule;

pub(crate) mod data_type_mismatch;
pub(crate) mod element_combination;
pub(crate) mod invalid_effect;
pub(crate) mod invalid_element;
pub(crate) mod invalid_version;
pub(crate) mod missing_action;
pub(crate) mod missing_effect;
pub(crate) mod missing_principal;
pub(crate) mod missing_resource;
pub(crate) mod missing_statement;
pub(crate) mod missing_version;

pub(crate) static RULES: &[&Rule] = &[
    &invalid_element::RULE,
    &data_type_mismatch::RULE,
    &element_combination::RULE,
    &missing_statement::RULE,
    &missing_effect::RULE,
    &invalid_effect::RULE,
    &missing_action::RULE,
    &missing_resource::RULE,
    &missing_principal::RULE,
    &invalid_version::RULE,
    &missing_version::RULE,
];
