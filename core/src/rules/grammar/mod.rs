//! The IAM policy grammar, as IAM Access Analyzer's policy validation checks it, plus the KMS
//! key-policy dialect.

use crate::rules::Rule;

pub(crate) mod allow_with_not_principal;
pub(crate) mod condition_key_case_duplicate;
pub(crate) mod data_type_mismatch;
pub(crate) mod duplicate_sid;
pub(crate) mod element_combination;
pub(crate) mod empty_sid;
pub(crate) mod invalid_condition_key_format;
pub(crate) mod invalid_condition_operator;
pub(crate) mod invalid_effect;
pub(crate) mod invalid_element;
pub(crate) mod invalid_principal;
pub(crate) mod invalid_service_principal;
pub(crate) mod invalid_sid;
pub(crate) mod invalid_version;
pub(crate) mod missing_action;
pub(crate) mod missing_effect;
pub(crate) mod missing_principal;
pub(crate) mod missing_resource;
pub(crate) mod missing_statement;
pub(crate) mod missing_version;
pub(crate) mod multiple_boolean_values;
pub(crate) mod non_unique_sid;
pub(crate) mod not_principal_in_trust_policy;
pub(crate) mod null_with_if_exists;
pub(crate) mod null_with_qualifier;
pub(crate) mod principal_in_identity_policy;
pub(crate) mod principal_unique_id;
pub(crate) mod resource_in_trust_policy;
pub(crate) mod wildcard_in_principal;
pub(crate) mod wildcard_without_like_operator;

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
    &invalid_sid::RULE,
    &duplicate_sid::RULE,
    &non_unique_sid::RULE,
    &empty_sid::RULE,
    &principal_in_identity_policy::RULE,
    &not_principal_in_trust_policy::RULE,
    &allow_with_not_principal::RULE,
    &resource_in_trust_policy::RULE,
    &invalid_principal::RULE,
    &wildcard_in_principal::RULE,
    &principal_unique_id::RULE,
    &invalid_service_principal::RULE,
    &invalid_condition_operator::RULE,
    &null_with_if_exists::RULE,
    &null_with_qualifier::RULE,
    &invalid_condition_key_format::RULE,
    &condition_key_case_duplicate::RULE,
    &multiple_boolean_values::RULE,
    &wildcard_without_like_operator::RULE,
];
