//! The typed policy model, its parser, and the view rules check.

mod model;
mod operator;
mod parse;

pub use model::*;
pub use operator::{BaseOperator, Family, Operator, SetQualifier};
pub(crate) use parse::parse_policy;

use crate::context::Context;
use crate::finding::DocumentKind;

/// What a policy rule sees: the text, the typed policy, its kind and the setup context.
pub(crate) struct Checked<'a> {
    pub text: &'a str,
    pub kind: DocumentKind,
    pub policy: &'a Policy<'a>,
    pub context: &'a Context,
}
