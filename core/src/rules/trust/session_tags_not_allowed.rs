use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

use super::analysis::{covers, names, Setup, ASSUME_ROLE};

const TAG_SESSION: &str = "sts:TagSession";
const SET_SOURCE_IDENTITY: &str = "sts:SetSourceIdentity";

declare_rule! {
    /// ## What it catches
    /// A grant to the vendor's role whose conditions expect session tags (`aws:RequestTag/…`,
    /// `aws:TagKeys`, `sts:TransitiveTagKeys`) or a source identity (`sts:SourceIdentity`,
    /// `aws:SourceIdentity`) while no statement allows the vendor's role `sts:TagSession` or
    /// `sts:SetSourceIdentity` (pitfalls P14, P18). Only then: a policy that never mentions
    /// tags or source identity is not reported, since most vendors pass neither.
    ///
    /// ## Why it matters
    /// When the caller passes session tags or a source identity, `AssumeRole` also needs
    /// `sts:TagSession` or `sts:SetSourceIdentity` in the trust policy, or it fails. It only
    /// matters if the vendor passes them, so it is a Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}, "StringEqualsIfExists": {"aws:RequestTag/tenant": "acme"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}, "StringEqualsIfExists": {"aws:RequestTag/tenant": "acme"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `sts:TagSession` (for session tags) or `sts:SetSourceIdentity` (for a source
    /// identity) to the grant's `Action`: `"Action": ["sts:AssumeRole", "sts:TagSession"]`.
    pub(crate) static RULE = {
        code: "T021",
        name: "session-tags-not-allowed",
        severity: Suggestion,
        kinds: [Trust],
        check: Some(check),
    };
}

fn is_tag_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.starts_with("aws:requesttag/")
        || lower == "aws:tagkeys"
        || lower == "sts:transitivetagkeys"
}

fn is_source_identity_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("sts:SourceIdentity") || key.eq_ignore_ascii_case("aws:SourceIdentity")
}

/// An action the trust policy must allow, the keys that show the vendor needs it, and what
/// those keys are about.
type Need = (&'static str, &'static str, fn(&str) -> bool);

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(s) = Setup::new(doc) else {
        return;
    };
    let vendor = s.vendor_ref();
    let needs: [Need; 2] = [
        (TAG_SESSION, "session tags", is_tag_key),
        (
            SET_SOURCE_IDENTITY,
            "a source identity",
            is_source_identity_key,
        ),
    ];
    for (action, what, expects) in needs {
        let grant = s
            .allow_statements()
            .filter(|st| names(st, &vendor) && covers(st, ASSUME_ROLE))
            .find_map(|st| {
                st.condition_entries()
                    .iter()
                    .find(|e| expects(e.key.value))
                    .map(|e| (st, e))
            });
        let Some((statement, entry)) = grant else {
            continue;
        };
        if s.allow_statements()
            .any(|st| names(st, &vendor) && covers(st, action))
        {
            continue;
        }
        sink.report(
            &RULE,
            entry.key.span,
            format!(
                "the vendor's grant has a condition on `{}`, so it expects {what}, but no statement allows `{action}` for the vendor's role: `AssumeRole` fails when the vendor passes {what}",
                entry.key.value
            ),
            Some(format!(
                "add `{action}` to the `Action` of {}: `\"Action\": [\"{ASSUME_ROLE}\", \"{action}\"]`",
                statement.label()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn tags_expected_but_not_allowed() {
        let text = policy(&[grant(&format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"StringEqualsIfExists\": {{\"aws:RequestTag/tenant\": \"acme\"}}}}"
        ))]);
        assert_eq!(codes(&text), ["T021"]);
        let f = only(&text, "T021");
        assert_eq!(
            f.message,
            "the vendor's grant has a condition on `aws:RequestTag/tenant`, so it expects session tags, but no statement allows `sts:TagSession` for the vendor's role: `AssumeRole` fails when the vendor passes session tags"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("add `sts:TagSession` to the `Action` of statement 0: `\"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"]`")
        );
        assert_eq!(under(&text, &f), "\"aws:RequestTag/tenant\"");
        assert_eq!(f.line, 4);
    }

    #[test]
    fn source_identity_allowed_in_another_statement() {
        let condition = format!(
            "{{\"StringEquals\": {{\"sts:ExternalId\": \"{ID}\"}}, \"StringLikeIfExists\": {{\"sts:SourceIdentity\": \"kore-*\"}}}}"
        );
        let text = policy(&[grant(&condition)]);
        assert_eq!(codes(&text), ["T021"]);
        let text = policy(&[
            grant(&condition),
            statement(
                &format!("{{\"AWS\": \"{VENDOR}\"}}"),
                "\"sts:SetSourceIdentity\"",
                &right_id(),
            ),
        ]);
        assert_eq!(codes(&text), Vec::<String>::new());
    }

    #[test]
    fn only_the_vendors_assume_role_grant_counts() {
        let tags = "\"StringEqualsIfExists\": {\"aws:RequestTag/tenant\": \"acme\"}";
        // Another principal's grant expects tags: not the vendor's business.
        let text = policy(&[
            grant(&right_id()),
            statement(
                "{\"AWS\": \"arn:aws:iam::111122223333:role/Ops\"}",
                "\"sts:AssumeRole\"",
                &format!("{{{tags}}}"),
            ),
        ]);
        assert!(findings(&text).iter().all(|f| f.code != "T021"));
        // The vendor's statement with the tag condition grants only `sts:SetSourceIdentity`.
        let text = policy(&[
            grant(&right_id()),
            statement(
                &format!("{{\"AWS\": \"{VENDOR}\"}}"),
                "\"sts:SetSourceIdentity\"",
                &format!("{{{tags}}}"),
            ),
        ]);
        assert!(findings(&text).iter().all(|f| f.code != "T021"));
    }

    #[test]
    fn a_plain_grant_is_not_reported() {
        assert_eq!(codes(&policy(&[grant(&right_id())])), Vec::<String>::new());
    }
}
