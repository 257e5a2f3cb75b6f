use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An `Effect` other than exactly `Allow` or `Deny`, such as `allow` or `Permit`.
    /// Access Analyzer: `INVALID_EFFECT`.
    ///
    /// ## Why it matters
    /// The value is case-sensitive; IAM rejects anything else. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `Allow` or `Deny`, capitalised as shown.
    pub(crate) static RULE = {
        code: "G006",
        name: "invalid-effect",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(effect) = statement.effect else {
            continue;
        };
        if statement.effect().is_some() {
            continue;
        }
        let help = if effect.value.trim().eq_ignore_ascii_case("allow") {
            "write `Allow`: the value is case-sensitive".to_string()
        } else if effect.value.trim().eq_ignore_ascii_case("deny") {
            "write `Deny`: the value is case-sensitive".to_string()
        } else {
            "use `Allow` or `Deny`".to_string()
        };
        sink.report(
            &RULE,
            effect.span,
            format!("`Effect` is `{}`, expected `Allow` or `Deny`", effect.value),
            Some(help),
        );
    }
}
