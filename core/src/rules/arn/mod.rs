//! Rules about the two ARNs a customer shares: the BYOK role ARN and the KMS key ARN.
//!
//! None has a policy check: `crate::arn` reports them while it checks a pasted ARN.

pub(crate) mod alias_arn;
pub(crate) mod alias_name;
pub(crate) mod assumed_role_session_arn;
pub(crate) mod availability_zone_as_region;
pub(crate) mod bare_key_id;
pub(crate) mod invalid_account_id;
pub(crate) mod invalid_key_id;
pub(crate) mod invalid_region;
pub(crate) mod invalid_role_name;
pub(crate) mod malformed_arn;
pub(crate) mod missing_region;
pub(crate) mod not_a_role;
pub(crate) mod not_an_arn;
pub(crate) mod placeholder_account_id;
pub(crate) mod region_in_role_arn;
pub(crate) mod region_of_other_partition;
pub(crate) mod surrounding_whitespace;
pub(crate) mod unknown_partition;
pub(crate) mod unknown_region;
pub(crate) mod wrong_service;

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &malformed_arn::RULE,
    &unknown_partition::RULE,
    &wrong_service::RULE,
    &invalid_account_id::RULE,
    &placeholder_account_id::RULE,
    &region_in_role_arn::RULE,
    &invalid_role_name::RULE,
    &not_a_role::RULE,
    &assumed_role_session_arn::RULE,
    &missing_region::RULE,
    &region_of_other_partition::RULE,
    &unknown_region::RULE,
    &availability_zone_as_region::RULE,
    &alias_arn::RULE,
    &alias_name::RULE,
    &bare_key_id::RULE,
    &invalid_key_id::RULE,
    &surrounding_whitespace::RULE,
    &not_an_arn::RULE,
    &invalid_region::RULE,
];
