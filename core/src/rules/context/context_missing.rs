use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

declare_rule! {
    /// ## What it catches
    /// A document checked without the part of the setup context its BYOK checks compare
    /// against: the vendor's service role and the External ID for a trust policy, the CMK ARN
    /// for an IAM policy, the Role ARN for a key policy. The grammar is still checked.
    ///
    /// ## Why it matters
    /// byokcheck does not guess what the vendor's role or the External ID should be: it says
    /// what it could not check. Suggestion: nothing is wrong with the document because of it,
    /// but a clean result then proves less.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    /// (checked with no context: no instance, no service role, no External ID)
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    /// (checked with `--instance platform.kore.ai --external-id kore-7f3a9c2e-byok`)
    ///
    /// ## How to fix
    /// Give the missing context: `--external-id`, `--instance` or `--service-role-arn`,
    /// `--cmk-arn`, `--role-arn` (or the same keys in `byokcheck.toml`).
    pub(crate) static RULE = {
        code: "C001",
        name: "context-missing",
        severity: Suggestion,
        kinds: [Trust, Iam, Key],
        check: Some(check),
    };
}

/// What is missing, what it leaves unchecked, and how to give it. Each kind's combinations are
/// written out: this runs on every document checked without context, so it builds one string.
fn missing(doc: &Checked<'_>) -> Option<(&'static str, &'static str, &'static str)> {
    let context = doc.context;
    const TRUST_HELP: &str = "give `--external-id` and `--instance` (or `--service-role-arn`)";
    const VENDOR: &str = "the vendor's service role ARN";
    const VENDOR_CHECK: &str = "whether the vendor's role, and only it, can assume the role";
    const ID: &str = "the External ID";
    const ID_CHECK: &str =
        "whether the right External ID is required and a missing or wrong one refused";
    match doc.kind {
        DocumentKind::Trust => {
            match (context.vendor_role_arn().is_none(), context.external_id().is_none()) {
                (true, true) => Some((
                    "the vendor's service role ARN and the External ID",
                    "whether the vendor's role, and only it, can assume the role; whether the right External ID is required and a missing or wrong one refused",
                    TRUST_HELP,
                )),
                (true, false) => Some((VENDOR, VENDOR_CHECK, TRUST_HELP)),
                (false, true) => Some((ID, ID_CHECK, TRUST_HELP)),
                (false, false) => None,
            }
        }
        DocumentKind::Iam => context.cmk_arn().is_none().then_some((
            "the CMK ARN",
            "whether the policy allows the four KMS actions on the key",
            "give `--cmk-arn`",
        )),
        DocumentKind::Key => context.role_arn().is_none().then_some((
            "the Role ARN",
            "whether the BYOK role can use the key",
            "give `--role-arn`",
        )),
        DocumentKind::RoleArn | DocumentKind::KeyArn => None,
    }
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some((parts, checks, help)) = missing(doc) else {
        return;
    };
    let start = doc.policy.span.start;
    sink.report(
        &RULE,
        Span::new(start, start + 1),
        ["not checked without ", parts, ": ", checks].concat(),
        Some(help.into()),
    );
}

#[cfg(test)]
mod tests {
    use crate::{check, Context, DocumentKind};

    #[test]
    fn a_trust_policy_needs_the_vendor_and_the_external_id() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:root"}, "Action": "sts:AssumeRole"}]}"#;
        let report = check(text, DocumentKind::Trust, &Context::default());
        let finding = report.findings.iter().find(|f| f.code == "C001").unwrap();
        assert!(
            finding
                .message
                .contains("the vendor's service role ARN and the External ID"),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("give `--external-id` and `--instance` (or `--service-role-arn`)")
        );
    }

    #[test]
    fn says_what_was_not_checked() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
        let report = check(text, DocumentKind::Iam, &Context::default());
        let finding = report.findings.iter().find(|f| f.code == "C001").unwrap();
        assert_eq!(
            finding.message,
            "not checked without the CMK ARN: whether the policy allows the four KMS actions on the key"
        );
        assert_eq!((finding.line, finding.column), (1, 1));
        assert!(!check(text, DocumentKind::Iam, &Context::example()).has("C001"));
    }

    #[test]
    fn points_at_the_policys_first_character() {
        let text = "\n  {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/BYOK_Role\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";
        let report = check(text, DocumentKind::Key, &Context::default());
        let finding = report.findings.iter().find(|f| f.code == "C001").unwrap();
        assert_eq!(&text[finding.span.start..finding.span.end], "{");
        assert_eq!((finding.line, finding.column), (2, 3));
        assert_eq!(
            finding.message,
            "not checked without the Role ARN: whether the BYOK role can use the key"
        );
    }
}
