use crate::eval::Request;
use crate::policy::{Checked, ConditionEntry, Statement};
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

use super::analysis::{covers, entry_values, listing, Phase, Problem, Setup, ASSUME_ROLE};

declare_rule! {
    /// ## What it catches
    /// A trust policy that does not let the vendor's service role assume the role when it
    /// presents the External ID the vendor's console shows. byokcheck evaluates that request
    /// (`sts:AssumeRole` by the vendor's role, with `sts:ExternalId`) and says why it is
    /// refused: no statement allows `sts:AssumeRole` for that role (the message names the
    /// principals that are trusted), a condition refuses it (the message names the operator,
    /// key and value), or a `Deny` statement applies. When a more specific rule can name the
    /// cause, it reports it instead: a different External ID (`external-id-mismatch`), a
    /// misspelt key (`external-id-key-misspelt`), an MFA condition (`mfa-required`), one session
    /// of the role as principal (`session-principal-trusted`).
    ///
    /// ## Why it matters
    /// The vendor cannot assume the role, so it cannot use the key: the setup fails at the
    /// vendor's verification step. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Server-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Trust exactly the vendor's service role ARN with `"Action": "sts:AssumeRole"`, keep the
    /// External ID condition, and remove the conditions or `Deny` statements that refuse it.
    pub(crate) static RULE = {
        code: "T001",
        name: "vendor-cannot-assume",
        severity: Error,
        kinds: [Trust],
        check: Some(check),
    };
}

/// Runs the vendor phase once and reports every rule's part of it.
fn check(doc: &Checked<'_>, sink: &mut Sink) {
    super::run(doc, sink, Phase::Vendor);
}

/// No statement names the vendor's role for `sts:AssumeRole`.
pub(super) fn untrusted(s: &Setup<'_>) -> Problem {
    let trusted: Vec<_> = s
        .allow_statements()
        .filter(|st| covers(st, ASSUME_ROLE))
        .filter_map(|st| st.principal.as_ref().filter(|p| !p.negated))
        .flat_map(|p| p.values().map(|(_, value)| value))
        .collect();
    let near = trusted
        .iter()
        .find(|v| crate::suggest::levenshtein_within(v.value, s.vendor, 3));
    let root = Span::new(s.policy.span.start, s.policy.span.start + 1);
    let span = near
        .or(trusted.first())
        .map(|v| v.span)
        .or(s.policy.statement_key)
        .unwrap_or(root);
    let mut message = format!(
        "no statement allows `{ASSUME_ROLE}` for the vendor's role `{}`; ",
        s.vendor
    );
    match (trusted.as_slice(), near) {
        ([], _) => message.push_str("no principal is trusted for it"),
        ([only], Some(_)) => message.push_str(&format!(
            "it is allowed only for `{}`, a few characters off it",
            only.value
        )),
        (values, near) => {
            message.push_str(&format!(
                "it is allowed only for {}",
                listing(values.iter().map(|v| v.value))
            ));
            if let Some(near) = near {
                message.push_str(&format!(" (`{}` is a few characters off it)", near.value));
            }
        }
    }
    Problem::new(
        &RULE,
        None,
        span,
        message,
        format!("trust the vendor's role: `{}`", s.vendor_principal()),
    )
}

/// A statement names the vendor's role but does not allow `sts:AssumeRole` on the role.
pub(super) fn wrong_action(s: &Setup<'_>, statement: &Statement<'_>, action_ok: bool) -> Problem {
    let label = statement.label();
    if action_ok {
        if let Some(resource) = &statement.resource {
            return Problem::new(
                &RULE,
                Some(statement),
                resource.key_span,
                format!(
                    "{label} trusts the vendor's role, but its `{}` does not cover the role `{}`",
                    resource.name("Resource", "NotResource"),
                    s.resource
                ),
                format!(
                    "remove `{}`: a trust policy has none, the role is its resource",
                    resource.name("Resource", "NotResource")
                ),
            );
        }
    }
    let (span, allowed) = match &statement.action {
        Some(action) => {
            let values = listing(action.values.items.iter().map(|v| v.value));
            let allowed = if action.negated {
                format!("every action but {values}")
            } else {
                values
            };
            (action.values.span, format!("allows {allowed}"))
        }
        None => (statement.span, "has no `Action`".to_string()),
    };
    Problem::new(
        &RULE,
        Some(statement),
        span,
        format!("{label} trusts the vendor's role but {allowed}, not `{ASSUME_ROLE}`"),
        format!("write `\"Action\": \"{ASSUME_ROLE}\"`"),
    )
}

/// A condition entry of the closest Allow statement refuses the vendor's request.
pub(super) fn condition(
    s: &Setup<'_>,
    statement: &Statement<'_>,
    entry: &ConditionEntry<'_>,
    request: &Request<'_>,
) -> Problem {
    let label = statement.label();
    let Some(_) = entry.parsed else {
        return Problem::new(
            &RULE,
            Some(statement),
            entry.operator.span,
            format!(
                "{label} refuses the vendor's role `{}`: `{}` is not a condition operator IAM knows, so its condition never holds",
                s.vendor, entry.operator.value
            ),
            "write a condition operator IAM knows, such as `StringEquals`".to_string(),
        );
    };
    let found = match request.values(entry.key.value) {
        Some(values) if !values.is_empty() => format!(
            "the request has {}",
            listing(values.iter().map(|v| v.as_ref()))
        ),
        _ => format!(
            "byokcheck does not know a value of `{}` for the vendor's requests (it refuses them unless they carry a matching one)",
            entry.key.value
        ),
    };
    Problem::new(
        &RULE,
        Some(statement),
        entry.values_span,
        format!(
            "{label} refuses the vendor's role `{}`: `{}` on `{}` requires {}, and {found}",
            s.vendor,
            entry.operator.value,
            entry.key.value,
            entry_values(entry)
        ),
        format!("remove this condition, or make it hold for `{}`", s.vendor),
    )
}

/// A Deny statement applies to the vendor's request.
pub(super) fn denied(s: &Setup<'_>, statement: &Statement<'_>) -> Problem {
    let label = statement.label();
    Problem::new(
        &RULE,
        Some(statement),
        statement.effect.map_or(statement.span, |e| e.span),
        format!(
            "{label} denies `{ASSUME_ROLE}` to the vendor's role `{}` presenting the External ID `{}`",
            s.vendor, s.external_id
        ),
        format!("remove {label}, or narrow it so that it does not apply to `{}`", s.vendor),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn names_the_trusted_principals_and_a_near_miss() {
        let text = policy(&[statement(
            "{\"AWS\": \"arn:aws:iam::358587034707:role/SegBots-Server-Role\"}",
            "\"sts:AssumeRole\"",
            &right_id(),
        )]);
        assert_eq!(codes(&text), ["T001"]);
        let f = only(&text, "T001");
        assert_eq!(
            f.message,
            format!("no statement allows `sts:AssumeRole` for the vendor's role `{VENDOR}`; it is allowed only for `arn:aws:iam::358587034707:role/SegBots-Server-Role`, a few characters off it")
        );
        assert_eq!(
            f.help.as_deref(),
            Some(
                format!("trust the vendor's role: `\"Principal\": {{\"AWS\": \"{VENDOR}\"}}`")
                    .as_str()
            )
        );
        assert_eq!(f.line, 4);
        assert_eq!(
            under(&text, &f),
            "\"arn:aws:iam::358587034707:role/SegBots-Server-Role\""
        );
    }

    #[test]
    fn says_when_nothing_is_trusted() {
        let text = policy(&[format!(
            "{{\"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"{VENDOR}\"}}, \"Action\": \"sts:TagSession\"}}"
        )]);
        let f = only(&text, "T001");
        assert_eq!(
            f.message,
            "statement 0 trusts the vendor's role but allows `sts:TagSession`, not `sts:AssumeRole`"
        );
        assert_eq!(under(&text, &f), "\"sts:TagSession\"");
        let text = policy(&[]);
        let f = only(&text, "T001");
        assert!(
            f.message.ends_with("no principal is trusted for it"),
            "{}",
            f.message
        );
        // Without even a `Statement`, the finding marks the document's first character.
        let text = r#"{"Version": "2012-10-17"}"#;
        let f = only(text, "T001");
        assert_eq!(under(text, &f), "{");
    }

    #[test]
    fn names_the_condition_that_refuses() {
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"ArnEquals\": {{\"aws:PrincipalArn\": \"arn:aws:iam::358587034707:role/Other\"}}}}"
        ))]);
        assert_eq!(codes(&text), ["T001"]);
        let f = only(&text, "T001");
        assert_eq!(
            f.message,
            format!("statement 0 refuses the vendor's role `{VENDOR}`: `ArnEquals` on `aws:PrincipalArn` requires `arn:aws:iam::358587034707:role/Other`, and the request has `{VENDOR}`")
        );
        assert_eq!(under(&text, &f), "\"arn:aws:iam::358587034707:role/Other\"");
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"IpAddress\": {{\"aws:SourceIp\": \"203.0.113.0/24\"}}}}"
        ))]);
        let f = only(&text, "T001");
        assert!(
            f.message
                .contains("byokcheck does not know a value of `aws:SourceIp`"),
            "{}",
            f.message
        );
    }

    #[test]
    fn the_statement_closest_to_letting_the_vendor_in_is_explained() {
        // Statement 0 fails on two conditions, statement 1 on one (it also has one that holds):
        // statement 1 is the one to fix.
        let text = policy(&[
            grant(
                "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"kore\", \"aws:PrincipalTag/env\": \"prod\"}}",
            ),
            grant(&format!(
                "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"IpAddress\": {{\"aws:SourceIp\": \"203.0.113.0/24\"}}}}"
            )),
        ]);
        assert_eq!(spans(&text, "T001"), ["\"203.0.113.0/24\""]);
    }

    #[test]
    fn names_the_deny() {
        let text = policy(&[
            grant(&right_id()),
            "{\"Sid\": \"NoOne\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sts:*\"}"
                .to_string(),
        ]);
        assert_eq!(codes(&text), ["T001"]);
        let f = only(&text, "T001");
        assert_eq!(
            f.message,
            format!("statement `NoOne` denies `sts:AssumeRole` to the vendor's role `{VENDOR}` presenting the External ID `{ID}`")
        );
        assert_eq!(under(&text, &f), "\"Deny\"");
        assert_eq!(f.line, 5);
    }

    #[test]
    fn a_specific_cause_replaces_it() {
        let text = policy(&[grant(
            "{\"StringEquals\": {\"sts:ExternalId\": \"another-id\"}}",
        )]);
        assert_eq!(codes(&text), ["T002"]);
    }
}
