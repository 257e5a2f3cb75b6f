use crate::arn::{parse_key_arn, parse_role_arn};
use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

declare_rule! {
    /// ## What it catches
    /// A setup context that spans AWS partitions: the vendor's service role in one partition
    /// and the customer's role in another (reported on the trust policy), or the Role ARN and
    /// the CMK ARN in different partitions (reported on the key policy). For example
    /// `arn:aws:iam::...` beside `arn:aws-cn:kms:cn-north-1:...`.
    ///
    /// ## Why it matters
    /// Partitions are separate clouds: no principal of one can assume a role or use a key in
    /// another. Error: the setup cannot work.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    /// (checked with the Role ARN `arn:aws-cn:iam::111122223333:role/BYOK_Role`)
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Use a vendor instance in your partition (ask the vendor for its service role ARN there),
    /// and create the role and the key in the same partition.
    pub(crate) static RULE = {
        code: "C003",
        name: "partitions-disagree",
        severity: Error,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let Some(role) = doc.context.role_arn().and_then(|r| parse_role_arn(r).ok()) else {
        return;
    };
    let (other, what) = match doc.kind {
        DocumentKind::Trust => {
            let Some(vendor) = doc
                .context
                .vendor_role_arn()
                .and_then(|v| parse_role_arn(v).ok())
            else {
                return;
            };
            (vendor.partition, "the vendor's service role")
        }
        DocumentKind::Key => {
            let Some(key) = doc.context.cmk_arn().and_then(|k| parse_key_arn(k).ok()) else {
                return;
            };
            (key.partition, "the CMK")
        }
        _ => return,
    };
    if other == role.partition {
        return;
    }
    let start = doc.policy.span.start;
    sink.report(
        &RULE,
        Span::new(start, start + 1),
        format!(
            "the Role ARN is in partition `{}` but {what} in partition `{other}`: nothing crosses partitions",
            role.partition
        ),
        Some(format!(
            "create the role in partition `{other}`, or use a vendor instance and key in `{}`",
            role.partition
        )),
    );
}

#[cfg(test)]
mod tests {
    use crate::{check, Context, DocumentKind};

    #[test]
    fn the_vendor_and_the_key_must_share_the_roles_partition() {
        let trust = crate::rules::context::partitions_disagree::RULE
            .meta
            .example("Good")
            .unwrap();
        let mut context = Context::example();
        assert!(!check(&trust, DocumentKind::Trust, &context).has("C003"));
        context.role_arn = Some("arn:aws-cn:iam::111122223333:role/BYOK_Role".into());
        let report = check(&trust, DocumentKind::Trust, &context);
        let finding = report.findings.iter().find(|f| f.code == "C003").unwrap();
        assert_eq!(
            finding.message,
            "the Role ARN is in partition `aws-cn` but the vendor's service role in partition `aws`: nothing crosses partitions"
        );
        let key = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws-cn:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        assert!(check(key, DocumentKind::Key, &context).has("C003"));
        context.cmk_arn = Some(
            "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .into(),
        );
        assert!(!check(key, DocumentKind::Key, &context).has("C003"));
    }
}
