use crate::policy::{Checked, Family, ValueType};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `BinaryEquals` condition whose value is not base64: characters outside
    /// `A-Z a-z 0-9 + /`, a length that is not a multiple of 4, misplaced `=` padding, or a
    /// number or boolean. Access Analyzer: `TYPE_MISMATCH_STRING`.
    ///
    /// ## Why it matters
    /// `BinaryEquals` compares the base64-decoded bytes; a value that does not decode matches
    /// nothing, so the condition never matches. IAM accepts the policy, so it is a Warning.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"BinaryEquals": {"aws:username": "not base64!"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"BinaryEquals": {"aws:username": "YWxpY2U="}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Base64-encode the bytes (`printf alice | base64` gives `YWxpY2U=`) and write that.
    pub(crate) static RULE = {
        code: "V007",
        name: "invalid-binary-value",
        severity: Warning,
        kinds: [Iam, Trust, Key],
        check: Some(check),
        needs: crate::rules::Needs::Family(crate::policy::Family::Binary),
    };
}

/// Standard base64 (RFC 4648 section 4) with padding. Written here rather than taken from a
/// crate: a dependency for one predicate costs more in build time, wasm size and review than
/// these lines.
fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return false;
    }
    let body = bytes.get(..bytes.len() - padding).unwrap_or_default();
    body.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        for entry in statement.condition_entries() {
            if entry.parsed.map(|op| op.base.family()) != Some(Family::Binary) {
                continue;
            }
            for value in &entry.values {
                let ok = value.value_type == ValueType::String
                    // A variable here is `variable-invalid-for-operator`'s finding.
                    && (is_base64(value.text) || crate::policy::holds_variable_start(value.text));
                if ok {
                    continue;
                }
                let url_safe = value.text.contains(['-', '_'])
                    && is_base64(&value.text.replace('-', "+").replace('_', "/"));
                let help = if url_safe {
                    format!(
                        "this is URL-safe base64; write standard base64: `\"{}\"`",
                        value.text.replace('-', "+").replace('_', "/")
                    )
                } else {
                    "base64-encode the bytes and write that, such as `\"YWxpY2U=\"` for `alice`"
                        .to_string()
                };
                sink.report(
                    &RULE,
                    value.span,
                    format!(
                        "`{}` is not base64: `{}` compares base64-encoded bytes, so this condition never matches",
                        value.text, entry.operator.value
                    ),
                    Some(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_base64;
    use crate::rules::values::support::testing::{condition, findings, under};
    use crate::DocumentKind;

    #[test]
    fn recognises_base64() {
        for ok in ["", "YWxpY2U=", "YWxp", "YQ==", "+/+/", "QUJD"] {
            assert!(is_base64(ok), "{ok}");
        }
        for bad in [
            "YWxpY2U",
            "YQ=",
            "Y===",
            "YW=p",
            "YW xp",
            "not base64!",
            "-_-_",
            // Padding does not excuse the characters before it.
            "a!==",
        ] {
            assert!(!is_base64(bad), "{bad}");
        }
    }

    #[test]
    fn flags_bad_values_and_converts_url_safe_base64() {
        let text = condition(r#"{"BinaryEquals": {"aws:username": ["YWxpY2U=", "-_-_", 5]}}"#);
        let found = findings(&text, DocumentKind::Iam, "V007");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].help.as_deref(),
            Some("this is URL-safe base64; write standard base64: `\"+/+/\"`")
        );
        assert_eq!(under(&text, &found[1]), "5");
    }
}
