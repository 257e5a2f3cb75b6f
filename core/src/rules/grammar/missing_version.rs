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

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, under};
    use crate::DocumentKind;

    const STATEMENT: &str =
        r#""Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]"#;

    #[test]
    fn a_missing_version_and_the_key_policy_note() {
        let text = format!("{{{STATEMENT}}}");
        let iam = findings(&text, DocumentKind::Iam, "G011");
        assert_eq!(iam.len(), 1);
        assert_eq!(
            iam[0].message,
            "the policy has no `Version`, so policy variables are not interpreted"
        );
        let key = findings(&text, DocumentKind::Key, "G011");
        assert_eq!(
            key[0].message,
            "the policy has no `Version`, so policy variables are not interpreted; KMS asks for it in key policies"
        );
    }

    #[test]
    fn the_legacy_version_is_named_and_the_current_one_passes() {
        let text = format!(r#"{{"Version": "2008-10-17", {STATEMENT}}}"#);
        let found = findings(&text, DocumentKind::Iam, "G011");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`Version` is the legacy `2008-10-17`, so policy variables are not interpreted"
        );
        assert_eq!(under(&text, &found[0]), "\"2008-10-17\"");
        let text = format!(r#"{{"Version": "2012-10-17", {STATEMENT}}}"#);
        assert!(findings(&text, DocumentKind::Iam, "G011").is_empty());
    }
}
