//! Rules about the setup context itself.

use crate::rules::Rule;

pub(crate) mod context_missing;

pub(crate) static RULES: &[&Rule] = &[&context_missing::RULE];
