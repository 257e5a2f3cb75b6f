//! Rules about the two ARNs a customer shares: the BYOK role ARN and the KMS key ARN.

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[];
