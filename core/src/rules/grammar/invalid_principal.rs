use crate::bytescan::{byte_set, ByteSet};
use crate::policy::{Checked, PrincipalElement, PrincipalKind, PrincipalValue, Str};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A principal IAM cannot read: a principal key other than `AWS`, `Service`, `Federated` or
    /// `CanonicalUser` (keys are case-sensitive: `aws` is not `AWS`); a bare `Principal`
    /// string other than `"*"`; or an `AWS` value that is not `*`, a 12-digit account ID, an
    /// account, role, user or federated-user ARN (`arn:aws:iam::111122223333:role/NAME`), an
    /// assumed-role or federated-user session ARN (`arn:aws:sts::...`), or a role or user
    /// unique ID (`AROA...`, `AIDA...`). Access Analyzer: `INVALID_PRINCIPAL_KEY`,
    /// `INVALID_PRINCIPAL_FORMAT`. Partial wildcards are `wildcard-in-principal`'s, service
    /// principals `invalid-service-principal`'s.
    ///
    /// ## Why it matters
    /// IAM rejects the trust policy and KMS rejects the key policy ("Policy contains a
    /// statement with one or more invalid principals"), so the setup cannot be saved. Error.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"aws": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::358587034707:role/SegBots-Servers-Role"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "kore-7f3a9c2e-byok"}}}]}
    /// ```
    ///
    /// ## How to fix
    /// Write `"Principal": {"AWS": "<ARN>"}` with the exact key spelling, and the full ARN of
    /// the role, user or account (`arn:aws:iam::<account>:root`).
    pub(crate) static RULE = {
        code: "G020",
        name: "invalid-principal",
        severity: Error,
        kinds: [Trust, Key],
        check: Some(check),
    };
}

const KEYS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];
const EXPECTED_AWS: &str =
    "expected `*`, a 12-digit account ID, or an ARN such as `arn:aws:iam::111122223333:role/NAME`";

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    for statement in &doc.policy.statements {
        let Some(principal) = &statement.principal else {
            continue;
        };
        match &principal.value {
            PrincipalValue::Bare(value) => bare(principal, *value, sink),
            PrincipalValue::Map(entries) => {
                for entry in entries {
                    match entry.kind {
                        None => unknown_key(entry.key, sink),
                        Some(PrincipalKind::Aws) => {
                            for value in entry.values.items.iter() {
                                aws_value(*value, sink);
                            }
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
}

fn element(principal: &PrincipalElement<'_>) -> &'static str {
    if principal.negated {
        "NotPrincipal"
    } else {
        "Principal"
    }
}

fn bare(principal: &PrincipalElement<'_>, value: Str<'_>, sink: &mut Sink) {
    if value.value == "*" {
        return;
    }
    let key = if super::invalid_service_principal::is_service_principal(value.value.trim()) {
        "Service"
    } else {
        "AWS"
    };
    let name = element(principal);
    let trimmed = value.value.trim();
    let help = if trimmed == "*" {
        format!("write `\"{name}\": \"*\"` without the white space")
    } else {
        format!("write `\"{name}\": {{\"{key}\": \"{trimmed}\"}}`")
    };
    sink.report(
        &RULE,
        value.span,
        format!(
            "`{name}` is the string `{}`; a bare string may only be `\"*\"`, anything else goes in an object such as `{{\"AWS\": \"...\"}}`",
            value.value
        ),
        Some(help),
    );
}

fn unknown_key(key: Str<'_>, sink: &mut Sink) {
    let trimmed = key.value.trim();
    let suggestion = KEYS
        .iter()
        .copied()
        .find(|k| k.eq_ignore_ascii_case(trimmed))
        .or_else(|| crate::suggest::best(trimmed, KEYS));
    let help = match suggestion {
        Some(known) => format!("did you mean `{known}`? principal keys are case-sensitive"),
        None => "use `AWS` for accounts, roles and users, or `Service` for AWS services".into(),
    };
    sink.report(
        &RULE,
        key.span,
        format!(
            "`{}` is not a principal key, expected `AWS`, `Service`, `Federated` or `CanonicalUser`",
            key.value
        ),
        Some(help),
    );
}

fn aws_value(value: Str<'_>, sink: &mut Sink) {
    if is_partial_wildcard(value.value) {
        return;
    }
    if let Err(problem) = classify_aws(value.value) {
        sink.report(
            &RULE,
            value.span,
            format!(
                "`{}` is not a valid `AWS` principal: {}; {EXPECTED_AWS}",
                value.value, problem.reason
            ),
            Some(problem.help),
        );
    }
}

/// `*` or `?` in a value other than the full wildcard `"*"`.
pub(super) fn is_partial_wildcard(value: &str) -> bool {
    value != "*" && crate::policy::has_wildcard(value)
}

/// Whether an `AWS` principal value is a role (`AROA`) or user (`AIDA`) unique ID.
pub(super) fn unique_id_kind(value: &str) -> Option<&'static str> {
    let kind = if value.starts_with("AROA") {
        "role"
    } else if value.starts_with("AIDA") {
        "user"
    } else {
        return None;
    };
    // Real IDs are 21 characters; a shorter capitalised word is more likely a typo than an ID.
    let shaped = (16..=128).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    shaped.then_some(kind)
}

struct Problem {
    reason: String,
    help: String,
}

fn problem(reason: impl Into<String>, help: impl Into<String>) -> Result<(), Problem> {
    Err(Problem {
        reason: reason.into(),
        help: help.into(),
    })
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Characters IAM allows in role, user and session names (`[\w+=,.@-]`).
fn is_name(text: &str) -> bool {
    is_name_bytes(text.as_bytes())
}

fn is_name_bytes(text: &[u8]) -> bool {
    !text.is_empty() && text.iter().all(|&b| is_name_byte(b))
}

/// One table load per byte: every role and user name of every principal is checked.
fn is_name_byte(byte: u8) -> bool {
    static NAME_BYTES: ByteSet = byte_set!(|b| b.is_ascii_alphanumeric()
        || matches!(b, b'+' | b'=' | b',' | b'.' | b'@' | b'_' | b'-'));
    NAME_BYTES.contains(byte)
}

fn classify_aws(value: &str) -> Result<(), Problem> {
    let trimmed = value.trim();
    if trimmed != value {
        return problem(
            "it has white space around it",
            format!("write `\"{trimmed}\"`"),
        );
    }
    if value == "*" || is_account_id(value) || unique_id_kind(value).is_some() {
        return Ok(());
    }
    if value.is_empty() {
        return problem(
            "it is empty",
            "write the principal's ARN or remove the value",
        );
    }
    if value.chars().all(|c| c.is_ascii_digit() || c == '-') {
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        return if is_account_id(&digits) {
            problem(
                "an account ID is written without dashes",
                format!("write `\"{digits}\"`"),
            )
        } else {
            problem(
                format!("an account ID has 12 digits, this has {}", digits.len()),
                "copy the 12-digit account ID from the AWS console",
            )
        };
    }
    if super::invalid_service_principal::is_service_principal(value) {
        return problem(
            "it is a service principal",
            format!("write it under `Service`: `{{\"Service\": \"{value}\"}}`"),
        );
    }
    if !value.starts_with("arn:") {
        return problem(
            "it is neither an account ID nor an ARN",
            format!(
                "write the full ARN, such as `arn:aws:iam::ACCOUNT_ID:role/{}`",
                if is_name(value) { value } else { "NAME" }
            ),
        );
    }
    // By bytes: every trust and key policy principal comes through here.
    let Some([_, partition, service, region, account, resource]) = crate::eval::arn_parts(value)
    else {
        return problem(
            "an ARN has six parts, `arn:partition:service:region:account:resource`",
            "write the full ARN, such as `arn:aws:iam::111122223333:role/NAME`",
        );
    };
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|suffix| {
            !suffix.is_empty()
                && suffix
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if !partition_ok {
        return problem(
            format!("`{partition}` is not an AWS partition"),
            "write `arn:aws:` (or `arn:aws-cn:`, `arn:aws-us-gov:`)",
        );
    }
    let fixed_service = if service.eq_ignore_ascii_case("iam") {
        "iam"
    } else if service.eq_ignore_ascii_case("sts") {
        "sts"
    } else {
        return problem(
            format!("a `{service}` ARN names a resource, not a principal"),
            "name the account, role or user that needs access, such as `arn:aws:iam::111122223333:role/NAME`",
        );
    };
    if service != fixed_service {
        return problem(
            format!("the service is written `{service}`"),
            format!("write `arn:{partition}:{fixed_service}:...`"),
        );
    }
    if !region.is_empty() {
        return problem(
            format!("`{service}` ARNs have no region, this one has `{region}`"),
            format!("write `arn:{partition}:{service}::{account}:{resource}`"),
        );
    }
    if !is_account_id(account) {
        return problem(
            format!("the account `{account}` is not a 12-digit account ID"),
            "copy the 12-digit account ID from the AWS console",
        );
    }
    let resource_ok = if service == "iam" {
        iam_resource(resource)
    } else {
        sts_resource(resource)
    };
    resource_ok.map_err(|(reason, help)| Problem {
        reason,
        help: help.unwrap_or_else(|| {
            if service == "iam" {
                format!(
                    "write `arn:{partition}:iam::{account}:root`, `...:role/NAME` or `...:user/NAME`"
                )
            } else {
                format!("write `arn:{partition}:sts::{account}:assumed-role/ROLE_NAME/SESSION_NAME`")
            }
        }),
    })
}

type ResourceCheck = Result<(), (String, Option<String>)>;

/// `path/name` with every segment a non-empty name, in one pass over the bytes.
fn path_and_name(rest: &str) -> bool {
    // True at the start and after each slash: a slash there would leave a segment empty.
    let mut segment_empty = true;
    for &byte in rest.as_bytes() {
        if byte == b'/' {
            if segment_empty {
                return false;
            }
            segment_empty = true;
        } else if is_name_byte(byte) {
            segment_empty = false;
        } else {
            return false;
        }
    }
    !segment_empty
}

fn iam_resource(resource: &str) -> ResourceCheck {
    if resource == "root" {
        return Ok(());
    }
    if let Some((kind, rest)) = crate::policy::split_at_byte(resource, b'/') {
        let known = ["role", "user", "federated-user"];
        if known.contains(&kind) {
            return if path_and_name(rest) {
                Ok(())
            } else {
                Err((format!("`{rest}` is not a valid {kind} name"), None))
            };
        }
        if let Some(fixed) = known.iter().find(|k| k.eq_ignore_ascii_case(kind)) {
            return Err((
                format!("`{kind}/` is written in the wrong case"),
                Some(format!("write `{fixed}/{rest}`")),
            ));
        }
        if kind == "group" {
            return Err((
                "IAM groups cannot be principals".into(),
                Some("list the group's users, or name a role the users assume".into()),
            ));
        }
    }
    if resource.eq_ignore_ascii_case("root") {
        return Err((
            format!("`{resource}` is written in the wrong case"),
            Some("write `root`".into()),
        ));
    }
    Err((
        format!("`{resource}` is not `root`, `role/NAME`, `user/NAME` or `federated-user/NAME`"),
        None,
    ))
}

fn sts_resource(resource: &str) -> ResourceCheck {
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        return match rest.split_once('/') {
            Some((role, session)) if is_name(role) && is_name(session) => Ok(()),
            _ => Err((
                format!("`{resource}` is not `assumed-role/ROLE_NAME/SESSION_NAME`"),
                None,
            )),
        };
    }
    if let Some(rest) = resource.strip_prefix("federated-user/") {
        return if is_name(rest) {
            Ok(())
        } else {
            Err((format!("`{rest}` is not a valid federated user name"), None))
        };
    }
    if let Some(rest) = resource.strip_prefix("role/") {
        return Err((
            "a role ARN is an `iam` ARN, not an `sts` one".into(),
            Some(format!(
                "write `arn:aws:iam::ACCOUNT_ID:role/{rest}` with the account ID"
            )),
        ));
    }
    Err((
        format!(
            "`{resource}` is not `assumed-role/ROLE_NAME/SESSION_NAME` or `federated-user/NAME`"
        ),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::classify_aws;
    use crate::{Context, DocumentKind, Finding};

    proptest::proptest! {
        /// The one-pass walk is the split-and-test it replaced.
        #[test]
        fn path_and_name_is_every_segment_a_name(rest in "[a-z/+@ é-]{0,10}") {
            let split = rest.as_bytes().split(|&b| b == b'/').all(super::is_name_bytes);
            proptest::prop_assert_eq!(super::path_and_name(&rest), split);
        }
    }

    fn findings(text: &str, kind: DocumentKind) -> Vec<Finding> {
        crate::check(text, kind, &Context::example())
            .findings
            .into_iter()
            .filter(|f| f.code == "G020")
            .collect()
    }

    fn trust_with_principal(principal: &str) -> String {
        format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\",\n  \"Principal\": {principal}, \"Action\": \"sts:AssumeRole\"}}]}}"
        )
    }

    #[test]
    fn a_role_name_with_a_space_or_an_empty_path_part() {
        for (arn, rest) in [
            ("arn:aws:iam::358587034707:role/Seg Bots", "Seg Bots"),
            ("arn:aws:iam::358587034707:role/service//R", "service//R"),
        ] {
            let text = trust_with_principal(&format!("{{\"AWS\": \"{arn}\"}}"));
            let found = findings(&text, DocumentKind::Trust);
            assert_eq!(found.len(), 1, "{arn}: {found:#?}");
            assert!(
                found[0].message.starts_with(&format!(
                    "`{arn}` is not a valid `AWS` principal: `{rest}` is not a valid role name"
                )),
                "{}",
                found[0].message
            );
        }
    }

    #[test]
    fn suggests_the_key_spelling() {
        let text = trust_with_principal(r#"{"aws": "arn:aws:iam::358587034707:role/R"}"#);
        let found = findings(&text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`aws` is not a principal key, expected `AWS`, `Service`, `Federated` or `CanonicalUser`"
        );
        assert_eq!(
            f.help.as_deref(),
            Some("did you mean `AWS`? principal keys are case-sensitive")
        );
        assert_eq!((f.line, f.column), (2, 17));
        let text = trust_with_principal(r#"{"Services": "ec2.amazonaws.com"}"#);
        assert_eq!(
            findings(&text, DocumentKind::Trust)[0].help.as_deref(),
            Some("did you mean `Service`? principal keys are case-sensitive")
        );
    }

    #[test]
    fn bare_strings_other_than_star_are_invalid() {
        let text = trust_with_principal(r#""arn:aws:iam::358587034707:role/R""#);
        let found = findings(&text, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("write `\"Principal\": {\"AWS\": \"arn:aws:iam::358587034707:role/R\"}`")
        );
        assert_eq!((found[0].line, found[0].column), (2, 16));
        let service = trust_with_principal(r#""ec2.amazonaws.com""#);
        assert!(findings(&service, DocumentKind::Trust)[0]
            .help
            .as_deref()
            .unwrap()
            .contains("{\"Service\": \"ec2.amazonaws.com\"}"));
        assert!(findings(&trust_with_principal(r#""*""#), DocumentKind::Trust).is_empty());
        assert_eq!(
            findings(&trust_with_principal(r#"" *""#), DocumentKind::Trust)[0]
                .help
                .as_deref(),
            Some("write `\"Principal\": \"*\"` without the white space")
        );
    }

    #[test]
    fn reports_an_invalid_aws_value_with_what_was_expected() {
        let text = trust_with_principal(
            r#"{"AWS": ["358587034707", "arn:aws:iam::358587034707:group/Admins"]}"#,
        );
        let found = findings(&text, DocumentKind::Key);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.message,
            "`arn:aws:iam::358587034707:group/Admins` is not a valid `AWS` principal: IAM groups cannot be principals; expected `*`, a 12-digit account ID, or an ARN such as `arn:aws:iam::111122223333:role/NAME`"
        );
        assert_eq!(
            &text[f.span.start..f.span.end],
            "\"arn:aws:iam::358587034707:group/Admins\""
        );
    }

    #[test]
    fn accepts_every_documented_form() {
        for valid in [
            "*",
            "111122223333",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/BYOK_Role",
            "arn:aws:iam::111122223333:role/service-role/path/My.Role@x",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:federated-user/bob",
            "arn:aws-cn:iam::111122223333:root",
            "arn:aws-us-gov:iam::111122223333:role/R",
            "arn:aws:sts::111122223333:assumed-role/R/session-1",
            "arn:aws:sts::111122223333:federated-user/bob",
            "AROADBQP57FF2AEXAMPLE",
            "AIDACKCEVSQ6C2EXAMPLE",
        ] {
            assert!(classify_aws(valid).is_ok(), "{valid}");
        }
    }

    #[test]
    fn explains_common_mistakes() {
        for (invalid, reason) in [
            ("", "it is empty"),
            (" 111122223333", "it has white space around it"),
            ("1111-2222-3333", "an account ID is written without dashes"),
            ("11112222333", "an account ID has 12 digits, this has 11"),
            ("BYOK_Role", "it is neither an account ID nor an ARN"),
            ("ec2.amazonaws.com", "it is a service principal"),
            (
                "arn:aws:kms:us-east-1:111122223333:key/abc",
                "a `kms` ARN names a resource, not a principal",
            ),
            (
                "arn:aws:iam:us-east-1:111122223333:root",
                "`iam` ARNs have no region, this one has `us-east-1`",
            ),
            (
                "arn:aws:iam::1111:root",
                "the account `1111` is not a 12-digit account ID",
            ),
            (
                "arn:aws:iam::111122223333:Role/R",
                "`Role/` is written in the wrong case",
            ),
            (
                "arn:aws:sts::111122223333:role/R",
                "a role ARN is an `iam` ARN, not an `sts` one",
            ),
            (
                "arn:aws:sts::111122223333:assumed-role/R",
                "`assumed-role/R` is not `assumed-role/ROLE_NAME/SESSION_NAME`",
            ),
            (
                "arn:amazon:iam::111122223333:root",
                "`amazon` is not an AWS partition",
            ),
            (
                "arn:aws-:iam::111122223333:root",
                "`aws-` is not an AWS partition",
            ),
            (
                "arn:aws-CN:iam::111122223333:root",
                "`aws-CN` is not an AWS partition",
            ),
            (
                "arn:aws:iam::111122223333",
                "an ARN has six parts, `arn:partition:service:region:account:resource`",
            ),
        ] {
            match classify_aws(invalid) {
                Err(problem) => assert_eq!(problem.reason, reason, "{invalid}"),
                Ok(()) => panic!("{invalid} was accepted"),
            }
        }
    }

    #[test]
    fn leaves_wildcards_and_unique_ids_to_their_rules() {
        let text = trust_with_principal(
            r#"{"AWS": ["arn:aws:iam::358587034707:role/*", "AROADBQP57FF2AEXAMPLE"], "Federated": "accounts.google.com", "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
        );
        assert!(findings(&text, DocumentKind::Trust).is_empty());
    }

    #[test]
    fn an_assumed_role_session_needs_valid_role_and_session_names() {
        for arn in [
            "arn:aws:sts::358587034707:assumed-role/Seg Bots/session",
            "arn:aws:sts::358587034707:assumed-role/SegBots/a session",
        ] {
            let text = trust_with_principal(&format!("{{\"AWS\": \"{arn}\"}}"));
            let found = findings(&text, DocumentKind::Trust);
            assert_eq!(found.len(), 1, "{arn}: {found:#?}");
            assert!(
                found[0]
                    .message
                    .contains("is not `assumed-role/ROLE_NAME/SESSION_NAME`"),
                "{}",
                found[0].message
            );
        }
        let fine = trust_with_principal(
            r#"{"AWS": "arn:aws:sts::358587034707:assumed-role/SegBots/session"}"#,
        );
        assert!(findings(&fine, DocumentKind::Trust).is_empty());
    }
}
