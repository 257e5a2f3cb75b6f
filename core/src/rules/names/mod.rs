//! Rules about names checked against the embedded catalog: actions, condition keys and
//! the value types of condition keys.

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[];
