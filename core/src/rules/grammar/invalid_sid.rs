use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A `Sid` in an identity or trust policy with a character other than a letter or a digit:
    /// a space, `-`, `_`, `.`. Access Analyzer: `UNSUPPORTED_SID`. KMS key policies accept
    /// spaces and more in a `Sid`, so key policies are not checked.
    ///
    /// ## Why it matters
    /// IAM rejects the policy with `MalformedPolicyDocument`, so the role cannot be created or
    /// updated. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Allow KMS use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "AllowKMSUse", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Keep only `A-Z`, `a-z` and `0-9`; join words in camel case (`AllowKMSUse`).
    pub(crate) static RULE = {
        code: "G012",
        name: "invalid-sid",
        severity: Error,
        kinds: [Iam, Trust],
        check: Some(check),
    };
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(sid) = statement.sid else {
            continue;
        };
        // Most Sids are letters and digits only: one byte test each settles them.
        if sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let mut invalid: Vec<char> = Vec::new();
        for c in sid.value.chars() {
            if !c.is_ascii_alphanumeric() && !invalid.contains(&c) {
                invalid.push(c);
            }
        }
        if invalid.is_empty() {
            continue;
        }
        let fixed = camel_case(sid.value);
        let help = if fixed.is_empty() {
            "use only letters and digits, such as `AllowKMSUse`".to_string()
        } else {
            format!("write `\"Sid\": \"{fixed}\"`")
        };
        sink.report(
            &RULE,
            sid.span,
            format!(
                "`Sid` `{}` contains {}; IAM allows only `A-Z`, `a-z` and `0-9` in a `Sid`",
                sid.value,
                describe(&invalid),
            ),
            Some(help),
        );
    }
}

/// Names each character for a message; white space has no visible form in backticks.
fn describe(chars: &[char]) -> String {
    let names: Vec<String> = chars
        .iter()
        .map(|c| match c {
            ' ' => "a space".to_string(),
            '\t' => "a tab".to_string(),
            c if c.is_whitespace() => "white space".to_string(),
            c => format!("`{c}`"),
        })
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// `Allow KMS use` -> `AllowKMSUse`: the words kept, their boundaries still readable.
fn camel_case(sid: &str) -> String {
    sid.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{Context, DocumentKind, Finding};

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G012")
            .collect()
    }

    #[test]
    fn names_the_characters_and_suggests_camel_case() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n  {\"Sid\": \"allow-kms_use now\", \"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";
        let found = findings(text, DocumentKind::Iam);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`Sid` `allow-kms_use now` contains `-`, `_` and a space; IAM allows only `A-Z`, `a-z` and `0-9` in a `Sid`"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("write `\"Sid\": \"AllowKmsUseNow\"`")
        );
        assert_eq!((f.line, f.column), (2, 11));
        assert_eq!(&text[f.span.start..f.span.end], "\"allow-kms_use now\"");
        // Other white space is named as such, not shown between backticks.
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "a\rb", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Iam)[0]
            .message
            .contains("contains white space;"));
    }

    #[test]
    fn checks_trust_policies_too() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Trust.Vendor", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole"}]}"#;
        let found = findings(text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`.`"));
    }

    #[test]
    fn key_policy_sids_may_have_spaces() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Key).is_empty());
    }

    #[test]
    fn empty_and_alphanumeric_sids_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "Abc123", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
        assert!(findings(text, DocumentKind::Iam).is_empty());
    }
}
