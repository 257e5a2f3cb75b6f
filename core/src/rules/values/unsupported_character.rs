use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};
use crate::source::Span;

/// At most this many characters are reported one by one; the messages give the total.
const REPORTED: usize = 5;

declare_rule! {
    /// ## What it catches
    /// A character IAM and KMS do not accept in a policy document: anything but tab, line
    /// feed, carriage return and U+0020 to U+00FF (printable ASCII and Latin-1). Typical
    /// culprits are pasted typographic quotes (`’`), dashes (`–`), non-breaking or zero-width
    /// spaces from documents and chat, and emoji. The first five are reported.
    ///
    /// ## Why it matters
    /// The IAM and KMS APIs check the document against the pattern
    /// `[\u0009\u000A\u000D\u0020-\u00FF]+` and refuse it with a validation error. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "KeyUse", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd–12ab"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "KeyUse", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
    /// ```
    ///
    /// ## How to fix
    /// Retype the character in plain ASCII: `'` for `’`, `-` for `–`, a plain space for a
    /// non-breaking one; delete zero-width characters.
    pub(crate) static RULE = {
        code: "V019",
        name: "unsupported-character",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

fn is_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// The ASCII a pasted character most likely stood for.
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => " ",
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => "",
        '\u{2026}' => "...",
        _ => return None,
    })
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    // A leading byte-order mark is `byte-order-mark`'s finding.
    let skip = if doc.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let body = doc.text.get(skip..).unwrap_or_default();
    // Nearly every policy is plain ASCII, and then there is nothing to report: rules run only on
    // text that parsed as JSON, which holds no raw control character but tab, line feed and
    // carriage return. `is_ascii` settles it a word at a time.
    if body.is_ascii() {
        return;
    }
    let bad: Vec<(usize, char)> = body
        .char_indices()
        .filter(|&(_, c)| !is_allowed(c))
        .collect();
    let total = bad.len();
    for (n, &(offset, c)) in bad.iter().take(REPORTED).enumerate() {
        let start = skip + offset;
        let shown = if c.is_whitespace() || c.is_control() || replacement(c) == Some("") {
            String::new()
        } else {
            format!("`{c}` ")
        };
        let count = if total > 1 {
            format!(" ({} of {total})", n + 1)
        } else {
            String::new()
        };
        let help = match replacement(c) {
            Some("") => "delete it (it is invisible)".to_string(),
            Some(ascii) => format!("write `{ascii}` instead"),
            None => "replace it with printable ASCII or Latin-1 text".to_string(),
        };
        sink.report(
            &RULE,
            Span::new(start, start + c.len_utf8()),
            format!(
                "{shown}(U+{:04X}) is not a character IAM and KMS accept in a policy{count}",
                u32::from(c)
            ),
            Some(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    #[test]
    fn a_single_character_is_not_counted() {
        let text =
            statement("\"Sid\": \"Ke\u{200b}y\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"");
        let found = findings(&text, DocumentKind::Iam, "V019");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "(U+200B) is not a character IAM and KMS accept in a policy"
        );
    }

    #[test]
    fn points_at_each_character() {
        let text = statement("\"Sid\": \"Ke\u{200b}y\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/1234abcd\u{2013}12ab\"");
        let found = findings(&text, DocumentKind::Iam, "V019");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(under(&text, &found[0]), "\u{200b}");
        assert_eq!(
            found[0].message,
            "(U+200B) is not a character IAM and KMS accept in a policy (1 of 2)"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("delete it (it is invisible)")
        );
        assert_eq!(
            found[1].message,
            "`\u{2013}` (U+2013) is not a character IAM and KMS accept in a policy (2 of 2)"
        );
        assert_eq!(found[1].help.as_deref(), Some("write `-` instead"));
        assert_eq!(found[1].line, 1);
    }

    #[test]
    fn latin1_is_fine_and_only_five_are_reported() {
        let text =
            statement("\"Sid\": \"caf\u{e9}\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"");
        assert!(findings(&text, DocumentKind::Iam, "V019").is_empty());

        let text = statement("\"Sid\": \"\u{1f511}\u{1f511}\u{1f511}\u{1f511}\u{1f511}\u{1f511}\u{1f511}\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"");
        let found = findings(&text, DocumentKind::Trust, "V019");
        assert_eq!(found.len(), 5);
        assert!(found[4].message.ends_with("(5 of 7)"));
        assert_eq!(under(&text, &found[4]), "\u{1f511}");
    }

    #[test]
    fn a_leading_bom_is_left_to_its_own_rule() {
        let text = format!(
            "\u{feff}{}",
            statement("\"Action\": \"kms:Decrypt\", \"Resource\": \"*\"")
        );
        assert!(findings(&text, DocumentKind::Iam, "V019").is_empty());
    }

    #[test]
    fn white_space_is_named_by_its_code_point_only() {
        // An em space would print as a blank between backticks.
        let text = statement(
            "\"Sid\": \"Key\u{2003}Users\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"",
        );
        let found = findings(&text, DocumentKind::Iam, "V019");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.starts_with("(U+2003) is not"),
            "{}",
            found[0].message
        );
    }
}
