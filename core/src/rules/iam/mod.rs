//! The BYOK IAM-policy checks: the role can do the four KMS actions on the CMK, and no more
//! than it should.

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[];
