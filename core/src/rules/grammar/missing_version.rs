use crate::finding::DocumentKind;
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A policy without `Version`, or with the legacy `2008-10-17`. Access Analyzer:
    /// `MISSING_VERSION`.
    ///
    /// ## Why it matters
    /// Without `2012-10-17`, policy variables such as `${aws:username}` are literal text, and
    /// KMS documentation asks for `2012-10-17` in key policies. Warning: the policy still works.
    ///
    /// ## Bad
    /// ```json
    /// {"Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Add `"Version": "2012-10-17"` as the first member.
    pub(crate) static RULE = {
        code: "G011",
        name: "missing-version",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let key_note = if doc.kind == DocumentKind::Key {
        "; KMS asks for it in key policies"
    } else {
        ""
    };
    match doc.policy.version {
        None => sink.report(
            &RULE,
            doc.policy.span,
            format!("the policy has no `Version`, so policy variables are not interpreted{key_note}"),
            Some("add `\"Version\": \"2012-10-17\"`".into()),
        ),
        Some(v) if v.value == "2008-10-17" => sink.report(
            &RULE,
            v.span,
            format!("`Version` is the legacy `2008-10-17`, so policy variables are not interpreted{key_note}"),
            Some("write `\"Version\": \"2012-10-17\"`".into()),
        ),
        Some(_) => {}
    }
}
