use crate::context::external_id_problem;
use crate::policy::{BaseOperator, Checked, Family};
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

use super::analysis::{id_key, IdKey, EXTERNAL_ID};
use super::external_id_mismatch::NearMiss;

declare_rule! {
    /// ## What it catches
    /// An External ID that STS does not accept: 2 to 1,224 characters of letters, digits and
    /// `_ + = , . @ : / -` (the `AssumeRole` API's `ExternalId` pattern). Checked for the
    /// External ID given to byokcheck (the finding points at the policy's `sts:ExternalId`
    /// value, or at the start of the document) and for every exact value of an
    /// `sts:ExternalId` condition in the policy. A near miss of the console's External ID
    /// (white space, case, one character) is `external-id-mismatch`'s finding instead.
    ///
    /// ## Why it matters
    /// STS rejects `AssumeRole` with such an External ID before it reads any policy, so a
    /// condition requiring it can never hold and the vendor can never assume the role; an
    /// invalid id given to byokcheck was not copied right from the vendor's console. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore 7f3a9c2e byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Copy the External ID from the vendor's console again, exactly, and write it in the
    /// condition: `"sts:ExternalId": "<console value>"`.
    pub(crate) static RULE = {
        code: "T017",
        name: "invalid-external-id",
        severity: Error,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    // Walked twice rather than collected: a trust policy has one or two such entries, and
    // the list was an allocation for every trust policy checked.
    let entries = || {
        doc.policy
            .statements
            .iter()
            .flat_map(|s| s.condition_entries())
            .filter(|e| id_key(e.key.value) == Some(IdKey::Exact))
    };
    let console = doc.context.external_id();
    let console_ok = console.filter(|id| external_id_problem(id).is_none());
    if let Some((id, problem)) = console.and_then(|id| Some((id, external_id_problem(id)?))) {
        let root = Span::new(doc.policy.span.start, doc.policy.span.start + 1);
        let span = entries()
            .flat_map(|e| e.values.iter())
            .find(|v| v.text == id)
            .map(|v| v.span)
            .or_else(|| entries().next().map(|e| e.values_span))
            .unwrap_or(root);
        sink.report(
            &RULE,
            span,
            format!("{problem} (the External ID given to byokcheck)"),
            Some("copy the External ID again from the vendor's console".to_string()),
        );
    }
    for entry in entries() {
        // Negated and existence operators do not require a value to be sent.
        let Some(operator) = entry
            .parsed
            .filter(|o| !o.base.is_negated() && o.base.family() == Family::String)
        else {
            continue;
        };
        for value in &entry.values {
            let pattern = operator.base == BaseOperator::StringLike
                && crate::policy::has_wildcard(value.text);
            // `external-id-mismatch` names a near miss of a valid console id.
            let near_miss = console_ok
                .is_some_and(|id| NearMiss::classify(value.text, id) != NearMiss::Different);
            // The console's own id, when invalid, is reported once, above.
            let console_value = console == Some(value.text);
            if pattern
                || near_miss
                || console_value
                || crate::policy::holds_variable_start(value.text)
            {
                continue;
            }
            let Some(problem) = external_id_problem(value.text) else {
                continue;
            };
            let help = match console_ok {
                Some(id) => format!("write `\"{EXTERNAL_ID}\": \"{id}\"`"),
                None => "write the External ID the vendor's console shows".to_string(),
            };
            sink.report(
                &RULE,
                value.span,
                format!("{problem}: STS refuses it, so no request can carry this value"),
                Some(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::Context;

    #[test]
    fn a_policy_value_sts_refuses() {
        let text = policy(&[grant(
            "{\"StringEquals\": {\"sts:ExternalId\": \"kore 7f3a9c2e byok\"}}",
        )]);
        let f = only(&text, "T017");
        assert_eq!(
            f.message,
            "the External ID `kore 7f3a9c2e byok` contains ` `; STS accepts only letters, digits and `_ + = , . @ : / -`: STS refuses it, so no request can carry this value"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("write `\"sts:ExternalId\": \"kore-7f3a9c2e-byok\"`")
        );
        assert_eq!(under(&text, &f), "\"kore 7f3a9c2e byok\"");
        assert_eq!(f.line, 4);
        // The vendor is refused too, a separate finding.
        assert_eq!(codes(&text), ["T002", "T017"]);
    }

    #[test]
    fn a_string_like_value_without_a_wildcard_is_still_checked() {
        let text = policy(&[grant(
            "{\"StringLike\": {\"sts:ExternalId\": \"kore 7f3a9c2e byok\"}}",
        )]);
        assert_eq!(under(&text, &only(&text, "T017")), "\"kore 7f3a9c2e byok\"");
    }

    #[test]
    fn the_given_id_points_at_the_policy_value() {
        let context = Context {
            external_id: Some("k".into()),
            ..Context::example()
        };
        let t017 = |text: &str| -> Vec<_> {
            findings_with(text, &context)
                .into_iter()
                .filter(|f| f.code == "T017")
                .collect()
        };
        let text = policy(&[grant("{\"StringEquals\": {\"sts:ExternalId\": \"k\"}}")]);
        let found = t017(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "the External ID `k` has 1 character(s); STS requires 2 to 1,224 (the External ID given to byokcheck)"
        );
        assert_eq!(under(&text, &found[0]), "\"k\"");
        // Among several values, the one equal to the given id.
        let text = policy(&[grant(
            "{\"StringEquals\": {\"sts:ExternalId\": [\"kk\", \"k\"]}}",
        )]);
        let found = t017(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\"k\"");
        // Without an `sts:ExternalId` condition, at the start of the document.
        let text = policy(&[grant("")]);
        let found = t017(&text);
        assert_eq!((found[0].line, found[0].column), (1, 1));
        assert_eq!(under(&text, &found[0]), "{");
    }

    #[test]
    fn white_space_and_patterns_are_left_to_other_rules() {
        for condition in [
            "{\"StringEquals\": {\"sts:ExternalId\": \" kore-7f3a9c2e-byok\"}}",
            "{\"StringEquals\": {\"sts:ExternalId\": \"kore-7f3a9c2e-byok!\"}}",
            "{\"StringLike\": {\"sts:ExternalId\": \"kore-*\"}}",
            "{\"StringNotEquals\": {\"sts:ExternalId\": \"x\"}}",
        ] {
            let text = policy(&[grant(condition)]);
            assert!(!codes(&text).contains(&"T017".to_string()), "{condition}");
        }
    }
}
