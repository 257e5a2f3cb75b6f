use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// Two statements of a trust or key policy with the same non-empty `Sid`. Access Analyzer:
    /// `UNIQUE_SIDS_RECOMMENDED`. (In an identity policy this is an error: `duplicate-sid`.)
    ///
    /// ## Why it matters
    /// The policy is accepted, but a `Sid` is how people, findings and change reviews name a
    /// statement; two statements with one name make "the `AllowUseOfTheKey` statement"
    /// ambiguous, and often one was copied from the other and only half edited. Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "AllowVendor", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}, {"Sid": "AllowVendor", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:TagSession"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "AllowVendor", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}, {"Sid": "AllowVendorTags", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:TagSession"}]}
    /// ```
    ///
    /// ## How to fix
    /// Give each statement its own `Sid`, or merge statements that say the same thing.
    pub(crate) static RULE = {
        code: "G014",
        name: "non-unique-sid",
        severity: Warning,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    super::duplicate_sid::report_repeated_sids(
        doc,
        sink,
        &RULE,
        "a unique `Sid` for each statement keeps reviews and findings unambiguous",
    );
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G014")
            .collect()
    }

    #[test]
    fn key_policy_sids_with_spaces_are_compared_exactly() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n{\"Sid\": \"Allow use of the key\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/BYOK_Role\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"},\n{\"Sid\": \"Allow use of the key\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/BYOK_Role\"}, \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"},\n{\"Sid\": \"Allow Use Of The Key\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/BYOK_Role\"}, \"Action\": \"kms:DescribeKey\", \"Resource\": \"*\"}]}";
        let found = findings(text, DocumentKind::Key);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`Sid` `Allow use of the key` is already used by statement 0; a unique `Sid` for each statement keeps reviews and findings unambiguous"
        );
        assert_eq!((f.line, f.column), (3, 9));
        assert_eq!(f.severity, crate::Severity::Warning);
    }

    #[test]
    fn identity_policies_get_the_error_instead() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "A", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }
}
