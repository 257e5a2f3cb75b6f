use crate::arn::{parse_key_arn, parse_role_arn};
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

declare_rule! {
    /// ## What it catches
    /// A setup context whose Role ARN and CMK ARN are in different AWS accounts, reported on
    /// the key policy (the document where the two meet).
    ///
    /// ## Why it matters
    /// The setup guide creates the role and the key in one account. A key in another account
    /// can work, but only if its key policy names the role and the role's IAM policy allows the
    /// key, and only cryptographic operations and `DescribeKey` work across accounts; more
    /// often the ARNs were copied from two different accounts by mistake. Warning: it can work.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Byok", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    /// (checked with a CMK ARN in account `444455556666`)
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, {"Sid": "Byok", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BYOK_Role"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Share the ARNs of one account: the role and the key the guide's steps created together.
    pub(crate) static RULE = {
        code: "C002",
        name: "accounts-disagree",
        severity: Warning,
        kinds: [Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let (Some(role), Some(cmk)) = (doc.context.role_arn(), doc.context.cmk_arn()) else {
        return;
    };
    let (Ok(role), Ok(key)) = (parse_role_arn(role), parse_key_arn(cmk)) else {
        return;
    };
    // Different partitions are `partitions-disagree`'s finding.
    if role.partition != key.partition || role.account == key.account {
        return;
    }
    let start = doc.policy.span.start;
    sink.report(
        &RULE,
        Span::new(start, start + 1),
        format!(
            "the Role ARN is in account `{}` but the CMK ARN in account `{}`: the setup guide keeps both in one account",
            role.account, key.account
        ),
        Some(format!(
            "check both ARNs: the key the role should use is `arn:{}:kms:{}:{}:key/...` if it is in the role's account",
            key.partition, key.region, role.account
        )),
    );
}

#[cfg(test)]
mod tests {
    use crate::{check, Context, DocumentKind};

    #[test]
    fn fires_only_when_both_arns_are_given_and_differ() {
        let text = crate::rules::context::accounts_disagree::RULE
            .meta
            .example("Good")
            .unwrap();
        let mut context = Context::example();
        assert!(!check(&text, DocumentKind::Key, &context).has("C002"));
        context.cmk_arn = Some(
            "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        );
        let report = check(&text, DocumentKind::Key, &context);
        let finding = report.findings.iter().find(|f| f.code == "C002").unwrap();
        assert!(
            finding.message.contains("`111122223333`"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("`444455556666`"),
            "{}",
            finding.message
        );
        // One character wide, at the document's start.
        assert_eq!(finding.span.end - finding.span.start, 1);
        context.role_arn = None;
        assert!(!check(&text, DocumentKind::Key, &context).has("C002"));
    }
}
