use crate::bytescan::{byte_set, ByteSet};
use crate::policy::Checked;
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// An `Action` or `NotAction` value that is neither `*` nor `service:ActionName`: no
    /// colon (`kmsDecrypt`), an empty side (`kms:`), or characters that cannot be in an action
    /// (a space, a second colon, `kms:Decrypt,kms:Encrypt`). The service prefix takes letters,
    /// digits and `-`; the action name letters and digits; both may use `*` and `?`.
    /// Access Analyzer: `INVALID_ACTION` (its format part; the `names` rules check the name
    /// against the catalog).
    ///
    /// ## Why it matters
    /// IAM rejects the policy. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt, kms:Encrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Write one action per string, as `service:ActionName`, and several as an array.
    pub(crate) static RULE = {
        code: "V022",
        name: "invalid-action-format",
        severity: Error,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

// By bytes: every allowed character is ASCII, and a byte of a multi-byte character is never
// one of them, so this is the character test without decoding UTF-8.
/// The bytes an action name may hold (letters, digits, `*`, `?`), looked up for every action
/// of every policy (N001 asks too).
static NAME_BYTES: ByteSet = byte_set!(|c| c.is_ascii_alphanumeric() || c == b'*' || c == b'?');

/// A service prefix holds name bytes and `-`.
fn service_char(c: u8) -> bool {
    c == b'-' || name_char(c)
}

/// Whether `c` may appear in an action name.
pub(crate) fn name_char(c: u8) -> bool {
    NAME_BYTES.contains(c)
}

fn is_well_formed(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    // One pass over short strings: a byte loop beats `split_once`'s searcher here.
    let bytes = action.as_bytes();
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return false;
    };
    match (bytes.get(..colon), bytes.get(colon + 1..)) {
        (Some(service), Some(name)) => {
            !service.is_empty()
                && !name.is_empty()
                && service.iter().all(|&c| service_char(c))
                && name.iter().all(|&c| name_char(c))
        }
        _ => false,
    }
}

fn problem(action: &str) -> (String, String) {
    let list: Vec<&str> = action
        .split([',', ' ', ';'])
        .filter(|s| !s.is_empty())
        .collect();
    if list.len() > 1 && list.iter().all(|a| is_well_formed(a)) {
        let array = list
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ");
        return (
            format!("`{action}` is several actions in one string"),
            format!("write one action per string: `[{array}]`"),
        );
    }
    let trimmed = action.trim();
    if trimmed != action && is_well_formed(trimmed) {
        return (
            format!("`{action}` has white space around the action"),
            format!("write `\"{trimmed}\"`"),
        );
    }
    let Some((service, name)) = crate::policy::split_at_colon(action) else {
        let help = ['.', '/', '_']
            .into_iter()
            .find_map(|sep| {
                let (s, n) = action.split_once(sep)?;
                let fixed = format!("{s}:{n}");
                is_well_formed(&fixed).then(|| format!("write `\"{fixed}\"`"))
            })
            .unwrap_or_else(|| "write `service:ActionName`, such as `kms:Decrypt`, or `*`".into());
        return (
            format!("`{action}` is not an action: actions are written `service:ActionName`"),
            help,
        );
    };
    if service.is_empty() || name.is_empty() {
        let side = if service.is_empty() {
            "service prefix"
        } else {
            "action name"
        };
        return (
            format!("`{action}` has an empty {side}"),
            format!(
                "write `service:ActionName`, such as `kms:Decrypt`; for every action of a service write `{}:*`",
                if service.is_empty() { "kms" } else { service }
            ),
        );
    }
    let bad = service
        .chars()
        .find(|&c| !u8::try_from(c).is_ok_and(service_char))
        .map(|c| (c, "service prefix"))
        .or_else(|| {
            name.chars()
                .find(|&c| !u8::try_from(c).is_ok_and(name_char))
                .map(|c| (c, "action name"))
        });
    let (c, part) = bad.unwrap_or((':', "action"));
    let shown = if c == ' ' {
        "a space".to_string()
    } else {
        format!("`{c}`")
    };
    (
        format!("`{action}` has {shown} in its {part}, which can hold only letters, digits{} and the wildcards `*` and `?`",
            if part == "service prefix" { ", `-`" } else { "" }),
        "write `service:ActionName`, such as `kms:Decrypt`".to_string(),
    )
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(action) = &statement.action else {
            continue;
        };
        for item in action.values.items.iter() {
            // A variable here is `variable-in-unsupported-element`'s finding.
            if is_well_formed(item.value) || crate::policy::holds_variable_start(item.value) {
                continue;
            }
            let (message, help) = problem(item.value);
            sink.report(&RULE, item.span, message, Some(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_well_formed;
    use crate::rules::values::support::testing::{findings, statement, under};
    use crate::DocumentKind;

    fn one(action: &str) -> (String, String) {
        let text = statement(&format!(r#""Action": ["{action}"], "Resource": "*""#));
        let found = findings(&text, DocumentKind::Iam, "V022");
        assert_eq!(found.len(), 1, "{action}: {found:#?}");
        assert_eq!(under(&text, &found[0]), format!("\"{action}\""));
        (found[0].message.clone(), found[0].help.clone().unwrap())
    }

    #[test]
    fn well_formed_actions() {
        for ok in [
            "*",
            "kms:Decrypt",
            "kms:*",
            "kms:Generate*",
            "kms:Re?ncrypt*",
            "*:*",
            "k*:Get*",
            "aws-marketplace:ViewSubscriptions",
            "KMS:decrypt",
        ] {
            assert!(is_well_formed(ok), "{ok}");
        }
        for bad in [
            "",
            "kms",
            "kms:",
            ":Decrypt",
            "kms:Decrypt:x",
            "kms: Decrypt",
            "kms:Get_Key",
            "km s:Decrypt",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn explains_and_fixes() {
        assert_eq!(
            one("kms:Decrypt, kms:Encrypt"),
            (
                "`kms:Decrypt, kms:Encrypt` is several actions in one string".to_string(),
                "write one action per string: `[\"kms:Decrypt\", \"kms:Encrypt\"]`".to_string()
            )
        );
        assert_eq!(one(" kms:Decrypt").1, "write `\"kms:Decrypt\"`");
        let (message, help) = one("kms.Decrypt");
        assert_eq!(
            message,
            "`kms.Decrypt` is not an action: actions are written `service:ActionName`"
        );
        assert_eq!(help, "write `\"kms:Decrypt\"`");
        assert_eq!(one("kms:").0, "`kms:` has an empty action name");
        assert_eq!(
            one("kms:Decrypt:All").0,
            "`kms:Decrypt:All` has `:` in its action name, which can hold only letters, digits and the wildcards `*` and `?`"
        );
    }

    #[test]
    fn variables_are_left_to_the_variable_rule() {
        let text = statement(r#""Action": "kms:${aws:x}", "Resource": "*""#);
        assert!(findings(&text, DocumentKind::Iam, "V022").is_empty());
    }
}
