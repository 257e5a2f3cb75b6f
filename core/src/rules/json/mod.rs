//! Rules about the JSON text itself, reported while parsing.

pub(crate) mod byte_order_mark;
pub(crate) mod duplicate_key;
pub(crate) mod not_an_object;
pub(crate) mod syntax;
pub(crate) mod too_deep;
pub(crate) mod too_large;

use crate::rules::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &syntax::RULE,
    &too_large::RULE,
    &too_deep::RULE,
    &byte_order_mark::RULE,
    &duplicate_key::RULE,
    &not_an_object::RULE,
];
