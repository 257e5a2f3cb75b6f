//! The BYOK key-policy checks: the key stays manageable, the BYOK role can use it, and no one
//! else can.

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[];
