//! The BYOK trust-policy checks: only the vendor's service role, presenting the right External
//! ID, can assume the role. Decided by evaluation, then diagnosed per pitfall.

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[];
