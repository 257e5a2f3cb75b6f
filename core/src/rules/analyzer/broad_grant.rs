//! The shapes of statement Access Analyzer flags for `iam:PassRole` and
//! `iam:CreateServiceLinkedRole`: the action (by name, by wildcard, or through `NotAction`)
//! on `*` or through `NotResource`.

use crate::policy::{Checked, Effect, Statement};
use crate::rules::{Rule, Sink};

use super::support::has_wildcard;

/// How the statement grants the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Listed by name (`iam:PassRole`).
    Name,
    /// Matched by a wildcard (`iam:*`, `*`).
    Wildcard,
    /// Not excluded by `NotAction`.
    NotAction,
}

/// True when a resource value matches every resource of the action: `*`, or an ARN pattern
/// whose resource part is `*` or `role/*`.
fn covers_every_resource(value: &str) -> bool {
    if value == "*" {
        return true;
    }
    // Each of the resource shapes below ends with `*`: most ARNs are ruled out unsplit.
    value.ends_with('*')
        && matches!(
            crate::eval::arn_parts(value),
            Some([_, _, "iam" | "*", _, _, "*" | "role/*" | "role*"])
        )
}

fn how_granted(statement: &Statement<'_>, action: &str) -> Option<(Via, String)> {
    let element = statement.action.as_ref()?;
    if element.negated {
        let excluded = element
            .values
            .items
            .iter()
            .any(|v| crate::eval::action_matches(v.value, action));
        return (!excluded).then_some((Via::NotAction, String::new()));
    }
    let mut found: Option<(Via, String)> = None;
    for value in element.values.items.iter() {
        if !crate::eval::action_matches(value.value, action) {
            continue;
        }
        let via = if has_wildcard(value.value) {
            Via::Wildcard
        } else {
            Via::Name
        };
        // The name is the sharper finding: prefer it when both are written.
        if found.as_ref().is_none_or(|(v, _)| *v == Via::Wildcard) {
            found = Some((via, value.value.to_string()));
        }
    }
    found
}

/// Reports each Allow statement that grants `action` on every resource or through
/// `NotResource`. `outcome` ends the message (what the grant lets the holder do).
pub(super) fn check(
    doc: &Checked<'_>,
    sink: &mut Sink,
    rule: &'static Rule,
    action: &str,
    outcome: &str,
    help: &str,
) {
    for statement in &doc.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(resource) = &statement.resource else {
            continue;
        };
        let Some((via, written)) = how_granted(statement, action) else {
            continue;
        };
        let (span, resource_text) = if resource.negated {
            (resource.key_span, "`NotResource`".to_string())
        } else {
            let Some(every) = resource
                .values
                .items
                .iter()
                .find(|v| covers_every_resource(v.value))
            else {
                continue;
            };
            (every.span, format!("`\"Resource\": \"{}\"`", every.value))
        };
        let grant = match via {
            Via::Name => format!("{} allows `{action}`", statement.label()),
            Via::Wildcard => format!(
                "{} allows `{action}` through the wildcard `{written}`",
                statement.label()
            ),
            Via::NotAction => format!(
                "{} allows `{action}` through `NotAction`, which does not exclude it",
                statement.label()
            ),
        };
        // One finding per statement, at the resource: that is the part to narrow.
        sink.report(
            rule,
            span,
            format!("{grant} with {resource_text}: {outcome}"),
            Some(help.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::covers_every_resource;

    #[test]
    fn every_resource_patterns() {
        assert!(covers_every_resource("*"));
        assert!(covers_every_resource("arn:aws:iam::*:role/*"));
        assert!(covers_every_resource("arn:aws:iam::111122223333:*"));
        assert!(!covers_every_resource(
            "arn:aws:iam::111122223333:role/app-*"
        ));
        assert!(!covers_every_resource("arn:aws:s3:::*"));
    }
}
