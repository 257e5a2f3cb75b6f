use crate::eval::PrincipalRef;
use crate::policy::{Checked, PrincipalKind};
use crate::rules::{declare_rule, Sink};

use super::analysis::{is_allow, is_session_of};

declare_rule! {
    /// ## What it catches
    /// An assumed-role session ARN (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) as a
    /// principal of an `Allow` statement (pitfall P15). When it is a session of the vendor's
    /// role, this rule explains why the vendor's role cannot assume the role, in place of
    /// `vendor-cannot-assume`.
    ///
    /// ## Why it matters
    /// Such a principal trusts one session name of the role only: the vendor's platform names
    /// its sessions as it likes, and the next name no longer matches. IAM accepts it, and it may
    /// even work today, so it is a Warning rather than an Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/byok-session"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write the role ARN (`arn:aws:iam::ACCOUNT:role/ROLE`): it covers every session of the
    /// role.
    pub(crate) static RULE = {
        code: "T018",
        name: "session-principal-trusted",
        severity: Warning,
        kinds: [Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let vendor = doc.context.vendor_role_arn();
    for statement in doc.policy.statements.iter().filter(|s| is_allow(s)) {
        let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        for (kind, value) in principal.values() {
            if kind != Some(PrincipalKind::Aws) {
                continue;
            }
            let Some(role) = PrincipalRef::from_arn(value.value).role_arn() else {
                continue;
            };
            let session = value.value.rsplit('/').next().unwrap_or_default();
            // The vendor's role ARN keeps its path, which the session ARN has lost.
            let write = vendor
                .filter(|vendor| is_session_of(value.value, vendor))
                .map_or(role.clone(), str::to_string);
            sink.report(
                &RULE,
                value.span,
                format!(
                    "`{}` is one session of the role `{role}`: only a session named `{session}` can assume this role, and the next session name breaks it",
                    value.value
                ),
                Some(format!("write the role ARN `{write}`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    const SESSION: &str =
        "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/byok-session";

    #[test]
    fn a_session_of_the_vendors_role() {
        let text = policy(&[statement(
            &format!("{{\"AWS\": \"{SESSION}\"}}"),
            "\"sts:AssumeRole\"",
            &right_id(),
        )]);
        // The vendor's role itself is refused: this rule explains it, T001 stays quiet.
        assert_eq!(codes(&text), ["T018"]);
        let f = only(&text, "T018");
        assert_eq!(
            f.message,
            format!("`{SESSION}` is one session of the role `{VENDOR}`: only a session named `byok-session` can assume this role, and the next session name breaks it")
        );
        assert_eq!(
            f.help.as_deref(),
            Some(format!("write the role ARN `{VENDOR}`").as_str())
        );
        assert_eq!(under(&text, &f), format!("\"{SESSION}\""));
        assert_eq!(f.line, 4);
    }

    #[test]
    fn a_session_of_another_role() {
        // Another role's session, or one of a role named as the vendor's in another account
        // (the name alone does not make it the vendor's): it can get in, another principal too.
        for (session, role) in [
            (
                "arn:aws:sts::444455556666:assumed-role/Ops/alice",
                "arn:aws:iam::444455556666:role/Ops",
            ),
            (
                "arn:aws:sts::444455556666:assumed-role/SegBots-Servers-Role/byok-session",
                "arn:aws:iam::444455556666:role/SegBots-Servers-Role",
            ),
        ] {
            let text = policy(&[statement(
                &format!("{{\"AWS\": [\"{VENDOR}\", \"{session}\"]}}"),
                "\"sts:AssumeRole\"",
                &right_id(),
            )]);
            assert_eq!(codes(&text), ["T015", "T018"], "{session}");
            assert_eq!(
                only(&text, "T018").help,
                Some(format!("write the role ARN `{role}`")),
                "{session}"
            );
        }
    }
}
