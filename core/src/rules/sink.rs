use crate::rules::{RawFinding, Rule};
use crate::source::Span;

/// Collects findings while a document is checked; positions are resolved once, at the end.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) raw: Vec<RawFinding>,
}

impl Sink {
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.raw.push(RawFinding {
            rule,
            span,
            message: message.into(),
            help,
        });
    }
}
