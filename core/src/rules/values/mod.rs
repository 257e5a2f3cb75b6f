//! The values of policy elements: condition values of each operator type, empty elements,
//! policy variables, sizes and characters, resource ARNs and action formats.

use crate::rules::Rule;

pub(crate) mod empty_action;
pub(crate) mod empty_condition;
pub(crate) mod empty_condition_values;
pub(crate) mod empty_principal;
pub(crate) mod empty_resource;
pub(crate) mod id_in_identity_policy;
pub(crate) mod invalid_action_format;
pub(crate) mod invalid_binary_value;
pub(crate) mod invalid_boolean_value;
pub(crate) mod invalid_date_value;
pub(crate) mod invalid_ip_value;
pub(crate) mod invalid_number_value;
pub(crate) mod invalid_resource_arn;
pub(crate) mod ip_host_bits_set;
pub(crate) mod key_policy_too_large;
pub(crate) mod malformed_variable;
pub(crate) mod policy_size_over_quota;
pub(crate) mod private_source_ip;
pub(crate) mod support;
pub(crate) mod unsupported_character;
pub(crate) mod variable_in_unsupported_element;
pub(crate) mod variable_invalid_for_operator;
pub(crate) mod variable_requires_version;
pub(crate) mod wildcard_in_service_name;

pub(crate) static RULES: &[&Rule] = &[
    &invalid_boolean_value::RULE,
    &invalid_number_value::RULE,
    &invalid_date_value::RULE,
    &invalid_ip_value::RULE,
    &ip_host_bits_set::RULE,
    &private_source_ip::RULE,
    &invalid_binary_value::RULE,
    &empty_action::RULE,
    &empty_resource::RULE,
    &empty_principal::RULE,
    &empty_condition::RULE,
    &empty_condition_values::RULE,
    &variable_requires_version::RULE,
    &variable_in_unsupported_element::RULE,
    &variable_invalid_for_operator::RULE,
    &malformed_variable::RULE,
    &policy_size_over_quota::RULE,
    &key_policy_too_large::RULE,
    &unsupported_character::RULE,
    &id_in_identity_policy::RULE,
    &invalid_resource_arn::RULE,
    &invalid_action_format::RULE,
    &wildcard_in_service_name::RULE,
];
