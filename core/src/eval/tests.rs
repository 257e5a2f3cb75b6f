//! Table tests from AWS's documented evaluation rules, and laws over generated policies.

use super::*;
use crate::policy::Policy;
use crate::rules::Sink;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";
const ROLE: &str = "arn:aws:iam::111122223333:role/Byok";
const VENDOR: &str = "arn:aws:iam::358587034707:role/SegBots-Servers-Role";
const VENDOR_ACCOUNT: &str = "358587034707";

/// Parses `text` (which must be a valid policy document) and hands the policy to `f`.
fn with_policy<R>(text: &str, f: impl FnOnce(&Policy<'_>) -> R) -> R {
    let mut sink = Sink::default();
    let arena = bumpalo::Bump::new();
    let json = crate::json::parse(text, &arena, &mut sink).expect("valid JSON");
    let policy = crate::policy::parse_policy(&json, &mut sink).expect("a policy object");
    f(&policy)
}

fn eval(text: &str, request: &Request<'_>, mode: PrincipalMode) -> Evaluation {
    with_policy(text, |policy| evaluate(policy, request, mode))
}

fn decision(text: &str, request: &Request<'_>, mode: PrincipalMode) -> Decision {
    eval(text, request, mode).decision
}

/// An identity policy of the given statements (a JSON array's contents).
fn identity(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn kms(action: &str, context: &RequestContext) -> Decision {
    let request = Request::new(action, KEY, context);
    decision(
        &identity(r#"{"Effect": "Allow", "Action": "kms:GenerateDataKey*", "Resource": "*"}"#),
        &request,
        PrincipalMode::Identity,
    )
}

/// Whether an Allow-everything statement with `condition` allows a request with `context`.
fn holds_in(version: &str, condition: &str, context: &RequestContext) -> bool {
    let text = format!(
        r#"{{"Version": "{version}", "Statement": {{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {condition}}}}}"#
    );
    let request = Request::new("kms:Decrypt", KEY, context);
    eval(&text, &request, PrincipalMode::Identity).is_allowed()
}

fn holds(condition: &str, context: &RequestContext) -> bool {
    holds_in("2012-10-17", condition, context)
}

fn ctx() -> RequestContext {
    RequestContext::new()
}

// ---------------------------------------------------------------------------------------------
// Wildcards

#[test]
fn glob_basics() {
    assert!(wildcard_matches("*", "", false));
    assert!(wildcard_matches("*", "anything:at/all", false));
    assert!(wildcard_matches("a?c", "abc", false));
    assert!(!wildcard_matches("a?c", "ac", false));
    assert!(wildcard_matches("a*b*c", "aXXbYYc", false));
    assert!(!wildcard_matches("a*b*c", "aXXbYY", false));
    assert!(wildcard_matches("**", "x", false));
    assert!(!wildcard_matches("", "x", false));
    assert!(wildcard_matches("", "", false));
    assert!(!wildcard_matches("ABC", "abc", false));
    assert!(wildcard_matches("ABC", "abc", true));
    assert!(wildcard_matches("é*", "É-x", true));
    assert!(wildcard_matches("mississippi", "mississippi", false));
    assert!(wildcard_matches("*sip*", "mississippi", false));
    assert!(wildcard_matches("m*i*s*p*i", "mississippi", false));
}

#[test]
fn glob_is_not_exponential() {
    let text = "a".repeat(10_000);
    assert!(!wildcard_matches("a*a*a*a*a*a*a*a*b", &text, false));
    assert!(wildcard_matches("a*a*a*a*a*a*a*a*a", &text, false));
}

#[test]
fn arn_segments_are_matched_separately() {
    assert!(arn_matches(
        "arn:aws:iam::*:role/SegBots-*",
        "arn:aws:iam::358587034707:role/SegBots-Servers-Role"
    ));
    // A star in one segment does not reach into the next.
    assert!(!arn_matches("arn:aws:kms:*", KEY));
    assert!(!arn_matches("arn:aws:kms:us-*:key/*", KEY));
    assert!(arn_matches("arn:aws:kms:*:*:*", KEY));
    // The resource segment keeps its colons and `*` crosses `/` there.
    assert!(arn_matches(
        "arn:aws:logs:*:*:log-group:*",
        "arn:aws:logs:us-east-1:111122223333:log-group:my/group:*"
    ));
    // Case-sensitive.
    assert!(!arn_matches(
        "arn:aws:iam::358587034707:role/segbots-servers-role",
        VENDOR
    ));
    assert!(arn_matches("*", "not-an-arn"));
    assert!(!arn_matches("arn:aws:iam::*:role/*", "not-an-arn"));
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[test]
fn explicit_deny_beats_allow() {
    let policy = identity(
        r#"{"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
           {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let context = ctx();
    let decrypt = Request::new("kms:Decrypt", KEY, &context);
    let evaluation = eval(&policy, &decrypt, PrincipalMode::Identity);
    assert_eq!(evaluation.decision, Decision::ExplicitDeny);
    assert_eq!(evaluation.denied_by, vec![1]);
    assert_eq!(evaluation.allowed_by, vec![0]);
    let encrypt = Request::new("kms:Encrypt", KEY, &context);
    let evaluation = eval(&policy, &encrypt, PrincipalMode::Identity);
    assert_eq!(evaluation.decision, Decision::Allow);
    assert_eq!(evaluation.allowed_by, vec![0]);
    assert!(evaluation.denied_by.is_empty());
}

#[test]
fn nothing_applies_is_implicit_deny() {
    let context = ctx();
    let request = Request::new("s3:GetObject", "arn:aws:s3:::bucket/x", &context);
    let evaluation = eval(
        &identity(r#"{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}"#),
        &request,
        PrincipalMode::Identity,
    );
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    assert!(evaluation.allowed_by.is_empty() && evaluation.denied_by.is_empty());
    assert_eq!(
        decision(&identity(""), &request, PrincipalMode::Identity),
        Decision::ImplicitDeny
    );
}

#[test]
fn not_action_with_allow_grants_everything_else() {
    let policy = identity(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#);
    let context = ctx();
    let s3 = Request::new("s3:GetObject", "arn:aws:s3:::bucket/x", &context);
    let kms = Request::new("kms:Decrypt", KEY, &context);
    let iam = Request::new(
        "IAM:CreateUser",
        "arn:aws:iam::111122223333:user/x",
        &context,
    );
    assert_eq!(
        decision(&policy, &s3, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&policy, &kms, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&policy, &iam, PrincipalMode::Identity),
        Decision::ImplicitDeny
    );
}

#[test]
fn not_resource_matches_everything_not_listed() {
    let policy = identity(&format!(
        r#"{{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}},
           {{"Effect": "Deny", "Action": "kms:*", "NotResource": "{KEY}"}}"#
    ));
    let context = ctx();
    let mine = Request::new("kms:Decrypt", KEY, &context);
    let other = Request::new("kms:Decrypt", OTHER_KEY, &context);
    assert_eq!(
        decision(&policy, &mine, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&policy, &other, PrincipalMode::Identity),
        Decision::ExplicitDeny
    );
}

#[test]
fn action_wildcards_and_case() {
    let context = ctx();
    assert_eq!(kms("kms:GenerateDataKey", &context), Decision::Allow);
    assert_eq!(
        kms("kms:GenerateDataKeyWithoutPlaintext", &context),
        Decision::Allow
    );
    assert_eq!(kms("KMS:generatedatakeypair", &context), Decision::Allow);
    assert_eq!(kms("kms:Decrypt", &context), Decision::ImplicitDeny);
    assert!(action_matches("kms:?ncrypt", "kms:Encrypt"));
    assert!(action_matches("*", "sts:AssumeRole"));
    assert!(action_matches("Kms:DECRYPT", "kms:Decrypt"));
    assert!(!action_matches("kms:Decrypt", "kms:DecryptAll"));
}

#[test]
fn resource_matching_is_case_sensitive_and_spans_separators() {
    assert!(resource_matches("arn:aws:kms:*:111122223333:key/*", KEY));
    assert!(resource_matches("arn:aws:kms:*", KEY));
    assert!(resource_matches("*", KEY));
    assert!(!resource_matches(&KEY.to_uppercase(), KEY));
    assert!(!resource_matches(
        "arn:aws:kms:us-east-1:111122223333:key/*",
        OTHER_KEY
    ));
    assert!(resource_matches(
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket/a/b/c"
    ));
}

#[test]
fn statements_without_effect_action_or_resource_are_ignored() {
    let context = ctx();
    let request = Request::new("kms:Decrypt", KEY, &context);
    for statement in [
        r#"{"Action": "kms:*", "Resource": "*"}"#,
        r#"{"Effect": "allow", "Action": "kms:*", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": "kms:*"}"#,
        r#"{"Effect": "Allow", "Action": [], "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": "kms:*", "Resource": []}"#,
    ] {
        assert_eq!(
            decision(&identity(statement), &request, PrincipalMode::Identity),
            Decision::ImplicitDeny,
            "{statement}"
        );
    }
    // An invalid Deny is ignored too: it does not take away the Allow.
    let policy = identity(
        r#"{"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
           {"Effect": "DENY", "Action": "kms:*", "Resource": "*"}"#,
    );
    assert_eq!(
        decision(&policy, &request, PrincipalMode::Identity),
        Decision::Allow
    );
}

#[test]
fn missing_resource_is_fine_only_in_trust_policies() {
    let policy =
        identity(r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}"#);
    let context = ctx();
    let request = Request::new("sts:AssumeRole", ROLE, &context).by(PrincipalRef::from_arn(VENDOR));
    assert_eq!(
        decision(&policy, &request, PrincipalMode::Trust),
        Decision::Allow
    );
    assert_eq!(
        decision(&policy, &request, PrincipalMode::Resource),
        Decision::ImplicitDeny
    );
}

#[test]
fn single_statement_object_is_evaluated() {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#;
    let context = ctx();
    let request = Request::new("kms:Decrypt", KEY, &context);
    let evaluation = eval(text, &request, PrincipalMode::Identity);
    assert_eq!(evaluation.decision, Decision::ExplicitDeny);
    assert_eq!(evaluation.denied_by, vec![0]);
}

// ---------------------------------------------------------------------------------------------
// Conditions

#[test]
fn string_operators() {
    let id = ctx().with("sts:ExternalId", "Tenant-42");
    let none = ctx();
    assert!(holds(
        r#"{"StringEquals": {"sts:ExternalId": "Tenant-42"}}"#,
        &id
    ));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": "tenant-42"}}"#,
        &id
    ));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": "Tenant-*"}}"#,
        &id
    ));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": "Tenant-42"}}"#,
        &none
    ));
    assert!(!holds(
        r#"{"StringNotEquals": {"sts:ExternalId": "Tenant-42"}}"#,
        &id
    ));
    assert!(holds(
        r#"{"StringNotEquals": {"sts:ExternalId": "other"}}"#,
        &id
    ));
    assert!(holds(
        r#"{"StringNotEquals": {"sts:ExternalId": "other"}}"#,
        &none
    ));
    assert!(holds(
        r#"{"StringEqualsIgnoreCase": {"sts:ExternalId": "TENANT-42"}}"#,
        &id
    ));
    assert!(!holds(
        r#"{"StringEqualsIgnoreCase": {"sts:ExternalId": "tenant-4"}}"#,
        &id
    ));
    assert!(!holds(
        r#"{"StringNotEqualsIgnoreCase": {"sts:ExternalId": "tenant-42"}}"#,
        &id
    ));
    assert!(holds(
        r#"{"StringNotEqualsIgnoreCase": {"sts:ExternalId": "x"}}"#,
        &none
    ));
    assert!(holds(
        r#"{"StringLike": {"sts:ExternalId": "Tenant-??"}}"#,
        &id
    ));
    assert!(!holds(
        r#"{"StringLike": {"sts:ExternalId": "tenant-*"}}"#,
        &id
    ));
    assert!(!holds(r#"{"StringLike": {"sts:ExternalId": "*"}}"#, &none));
    assert!(!holds(
        r#"{"StringNotLike": {"sts:ExternalId": "Tenant-*"}}"#,
        &id
    ));
    assert!(holds(
        r#"{"StringNotLike": {"sts:ExternalId": "Other-*"}}"#,
        &id
    ));
    assert!(holds(
        r#"{"StringNotLike": {"sts:ExternalId": "Tenant-*"}}"#,
        &none
    ));
}

#[test]
fn numeric_operators() {
    let five = ctx().with("s3:max-keys", "5");
    let none = ctx();
    assert!(holds(r#"{"NumericEquals": {"s3:max-keys": 5}}"#, &five));
    assert!(holds(r#"{"NumericEquals": {"s3:max-keys": "5.0"}}"#, &five));
    assert!(!holds(
        r#"{"NumericNotEquals": {"s3:max-keys": "5"}}"#,
        &five
    ));
    assert!(holds(
        r#"{"NumericNotEquals": {"s3:max-keys": "6"}}"#,
        &five
    ));
    assert!(holds(
        r#"{"NumericNotEquals": {"s3:max-keys": "6"}}"#,
        &none
    ));
    assert!(holds(r#"{"NumericLessThan": {"s3:max-keys": "6"}}"#, &five));
    assert!(!holds(
        r#"{"NumericLessThan": {"s3:max-keys": "5"}}"#,
        &five
    ));
    assert!(holds(
        r#"{"NumericLessThanEquals": {"s3:max-keys": "5"}}"#,
        &five
    ));
    assert!(holds(
        r#"{"NumericGreaterThan": {"s3:max-keys": "4.5"}}"#,
        &five
    ));
    assert!(!holds(
        r#"{"NumericGreaterThan": {"s3:max-keys": "5"}}"#,
        &five
    ));
    assert!(holds(
        r#"{"NumericGreaterThanEquals": {"s3:max-keys": "5"}}"#,
        &five
    ));
    assert!(!holds(
        r#"{"NumericLessThan": {"s3:max-keys": "10"}}"#,
        &none
    ));
    // Malformed values compare false, never panic.
    assert!(!holds(
        r#"{"NumericEquals": {"s3:max-keys": "five"}}"#,
        &five
    ));
    assert!(!holds(
        r#"{"NumericEquals": {"s3:max-keys": "NaN"}}"#,
        &ctx().with("s3:max-keys", "NaN")
    ));
    assert!(!holds(
        r#"{"NumericLessThan": {"s3:max-keys": "inf"}}"#,
        &five
    ));
}

#[test]
fn date_operators_compare_instants() {
    let at = ctx().with("aws:CurrentTime", "2020-01-01T12:00:00Z");
    let epoch = ctx().with("aws:CurrentTime", "1577880000"); // 2020-01-01T12:00:00Z
    for context in [&at, &epoch] {
        assert!(holds(
            r#"{"DateEquals": {"aws:CurrentTime": "2020-01-01T12:00:00Z"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateEquals": {"aws:CurrentTime": "1577880000"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateEquals": {"aws:CurrentTime": 1577880000}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateEquals": {"aws:CurrentTime": "2020-01-01T13:00:00+01:00"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateEquals": {"aws:CurrentTime": "2020-01-01T12:00:00.000Z"}}"#,
            context
        ));
        assert!(!holds(
            r#"{"DateNotEquals": {"aws:CurrentTime": "2020-01-01T12:00:00Z"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-01-02"}}"#,
            context
        ));
        assert!(!holds(
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-01-01"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateLessThanEquals": {"aws:CurrentTime": "2020-01-01T12:00Z"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateGreaterThan": {"aws:CurrentTime": "2019-12-31T23:59:59-05:00"}}"#,
            context
        ));
        assert!(holds(
            r#"{"DateGreaterThanEquals": {"aws:CurrentTime": "2020-01-01T07:00:00-0500"}}"#,
            context
        ));
        assert!(!holds(
            r#"{"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T12:00:01Z"}}"#,
            context
        ));
        // Malformed dates compare false.
        assert!(!holds(
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-13-01"}}"#,
            context
        ));
        assert!(!holds(
            r#"{"DateLessThan": {"aws:CurrentTime": "2021-02-29"}}"#,
            context
        ));
        assert!(!holds(
            r#"{"DateLessThan": {"aws:CurrentTime": "soon"}}"#,
            context
        ));
    }
    assert!(holds(
        r#"{"DateLessThan": {"aws:CurrentTime": "2024-02-29T00:00:00Z"}}"#,
        &at
    ));
    assert!(!holds(
        r#"{"DateLessThan": {"aws:CurrentTime": "2030-01-01"}}"#,
        &ctx()
    ));
    assert!(holds(
        r#"{"DateNotEquals": {"aws:CurrentTime": "2030-01-01"}}"#,
        &ctx()
    ));
    assert_eq!(conditions::parse_instant("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(
        conditions::parse_instant("1969-12-31"),
        Some(-86_400 * 1_000_000_000)
    );
    assert_eq!(
        conditions::parse_instant("2000-03-01"),
        Some(951_868_800 * 1_000_000_000)
    );
}

#[test]
fn instants_parse_exactly() {
    use conditions::parse_instant as at;
    const NANOS: i128 = 1_000_000_000;
    // Epoch seconds: fractions to the nanosecond, at most 15 digits of whole seconds.
    assert_eq!(
        at("1577836800.25"),
        Some(1_577_836_800 * NANOS + 250_000_000)
    );
    assert_eq!(at("-1.5"), Some(-(NANOS + 500_000_000)));
    assert_eq!(at("123456789012345"), Some(123_456_789_012_345 * NANOS));
    assert_eq!(at("1234567890123456"), None);
    assert_eq!(at(".5"), None);
    assert_eq!(at("1."), None);
    // ISO dates: seconds and their fraction add up; each field has its exact width.
    assert_eq!(at("1970-01-01T00:00:01.5Z"), Some(NANOS + 500_000_000));
    assert_eq!(at("2020-1-01"), None);
    assert_eq!(at("2020-01-1"), None);
    // Zone offsets: hours to 23, minutes to 59, in three spellings.
    let noon = at("2020-01-01T12:00:00Z");
    assert_eq!(at("2020-01-01T13:30:00+01:30"), noon);
    assert_eq!(at("2020-01-01T13:30:00+0130"), noon);
    assert_eq!(at("2020-01-01T13:00:00+01"), noon);
    assert_eq!(at("2020-01-01T11:00:00-01:00"), noon);
    assert_eq!(at("2020-01-02T11:00:00+23:00"), noon);
    assert_eq!(at("2020-01-01T12:00:00+24:00"), None);
    // Clock fields: hours to 23, minutes to 59, seconds to 60 (a leap second), each on its own.
    assert!(at("2020-01-01T23:59:60Z").is_some());
    assert_eq!(at("2020-01-01T24:00:00Z"), None);
    assert_eq!(at("2020-01-01T00:60:00Z"), None);
    assert_eq!(at("2020-01-01T00:00:61Z"), None);
    assert_eq!(at("2020-01-01T12:00:00+01:60"), None);
    assert_eq!(
        at("2020-01-01T12:00:00+01:59"),
        noon.map(|n| n - (3_600 + 59 * 60) * NANOS)
    );
    // Leap years: every fourth, but not centuries unless divisible by 400.
    assert!(at("2024-02-29").is_some());
    assert!(at("2000-02-29").is_some());
    assert_eq!(at("1900-02-29"), None);
    assert_eq!(at("2023-02-29"), None);
    assert_eq!(at("2100-02-29"), None);
    // Thirty days hath September, April, June and November.
    for month in ["04", "06", "09", "11"] {
        assert!(at(&format!("2021-{month}-30")).is_some(), "{month}");
        assert_eq!(at(&format!("2021-{month}-31")), None, "{month}");
    }
    assert!(at("2021-12-31").is_some());
}

#[test]
fn bool_and_binary_operators() {
    let secure = ctx().with("aws:SecureTransport", "true");
    let insecure = ctx().with("aws:SecureTransport", "false");
    assert!(holds(r#"{"Bool": {"aws:SecureTransport": true}}"#, &secure));
    assert!(holds(
        r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
        &secure
    ));
    assert!(!holds(
        r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
        &insecure
    ));
    assert!(holds(
        r#"{"Bool": {"aws:SecureTransport": false}}"#,
        &insecure
    ));
    assert!(!holds(
        r#"{"Bool": {"aws:SecureTransport": "yes"}}"#,
        &secure
    ));
    assert!(!holds(
        r#"{"Bool": {"aws:SecureTransport": "false"}}"#,
        &ctx()
    ));
    assert!(holds(
        r#"{"BoolIfExists": {"aws:SecureTransport": "false"}}"#,
        &ctx()
    ));
    let blob = ctx().with("kms:RecipientAttestation:ImageSha384", "QmluYXJ5");
    assert!(holds(
        r#"{"BinaryEquals": {"kms:RecipientAttestation:ImageSha384": "QmluYXJ5"}}"#,
        &blob
    ));
    assert!(!holds(
        r#"{"BinaryEquals": {"kms:RecipientAttestation:ImageSha384": "qmluyxj5"}}"#,
        &blob
    ));
}

#[test]
fn ip_operators_v4_and_v6() {
    let v4 = ctx().with("aws:SourceIp", "203.0.113.77");
    let v6 = ctx().with("aws:SourceIp", "2001:db8:1234::1");
    assert!(holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        &v4
    ));
    assert!(holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.77"}}"#,
        &v4
    ));
    assert!(holds(
        r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
        &v4
    ));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.114.0/24"}}"#,
        &v4
    ));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}"#,
        &v4
    ));
    assert!(holds(
        r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}"#,
        &v6
    ));
    assert!(holds(r#"{"IpAddress": {"aws:SourceIp": "::/0"}}"#, &v6));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "2001:db9::/32"}}"#,
        &v6
    ));
    assert!(holds(
        r#"{"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}"#,
        &v4
    ));
    assert!(!holds(
        r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        &v4
    ));
    assert!(holds(
        r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        &ctx()
    ));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        &ctx()
    ));
    // Malformed blocks compare false.
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}}"#,
        &v4
    ));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113/24"}}"#,
        &v4
    ));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/+8"}}"#,
        &v4
    ));
    assert!(!holds(
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/"}}"#,
        &v4
    ));
}

#[test]
fn arn_operators() {
    let from = ctx().with("aws:SourceArn", VENDOR);
    assert!(holds(
        &format!(r#"{{"ArnEquals": {{"aws:SourceArn": "{VENDOR}"}}}}"#),
        &from
    ));
    assert!(holds(
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:iam::358587034707:role/*"}}"#,
        &from
    ));
    assert!(holds(
        r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:iam::*:role/SegBots-Servers-Role"}}"#,
        &from
    ));
    assert!(!holds(
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:iam::358587034707:role/segbots*"}}"#,
        &from
    ));
    assert!(!holds(
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:iam::*"}}"#,
        &from
    ));
    assert!(holds(
        r#"{"ArnNotLike": {"aws:SourceArn": "arn:aws:iam::111122223333:role/*"}}"#,
        &from
    ));
    assert!(!holds(
        r#"{"ArnNotEquals": {"aws:SourceArn": "arn:aws:iam::358587034707:role/*"}}"#,
        &from
    ));
    assert!(holds(
        r#"{"ArnNotEquals": {"aws:SourceArn": "arn:aws:iam::358587034707:role/*"}}"#,
        &ctx()
    ));
    assert!(!holds(
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:iam::358587034707:role/*"}}"#,
        &ctx()
    ));
}

#[test]
fn null_tests_presence() {
    let id = ctx().with("sts:ExternalId", "x");
    assert!(holds(r#"{"Null": {"sts:ExternalId": "true"}}"#, &ctx()));
    assert!(!holds(r#"{"Null": {"sts:ExternalId": "true"}}"#, &id));
    assert!(holds(r#"{"Null": {"sts:ExternalId": "false"}}"#, &id));
    assert!(holds(r#"{"Null": {"sts:ExternalId": false}}"#, &id));
    assert!(!holds(r#"{"Null": {"sts:ExternalId": "false"}}"#, &ctx()));
    assert!(!holds(r#"{"Null": {"sts:ExternalId": "maybe"}}"#, &id));
    assert!(!holds(r#"{"Null": {"sts:ExternalId": "maybe"}}"#, &ctx()));
}

#[test]
fn if_exists_makes_absent_keys_true() {
    let id = ctx().with("sts:ExternalId", "right");
    let wrong = ctx().with("sts:ExternalId", "wrong");
    let condition = r#"{"StringEqualsIfExists": {"sts:ExternalId": "right"}}"#;
    assert!(holds(condition, &id));
    assert!(!holds(condition, &wrong));
    assert!(holds(condition, &ctx()));
    assert!(holds(
        r#"{"NumericLessThanIfExists": {"s3:max-keys": "1"}}"#,
        &ctx()
    ));
    assert!(holds(
        r#"{"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:iam::*:role/x"}}"#,
        &ctx()
    ));
    assert!(holds(
        r#"{"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}"#,
        &ctx()
    ));
}

#[test]
fn set_qualifiers() {
    let tags = ctx().with_many("aws:TagKeys", ["team", "env"]);
    let empty = ctx().with_many("aws:TagKeys", Vec::<String>::new());
    let none = ctx();
    let all = r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env", "cost"]}}"#;
    assert!(holds(all, &tags));
    assert!(!holds(
        r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}"#,
        &tags
    ));
    assert!(holds(all, &empty));
    assert!(holds(all, &none));
    let any = r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "owner"]}}"#;
    assert!(holds(any, &tags));
    assert!(!holds(
        r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["owner"]}}"#,
        &tags
    ));
    assert!(!holds(any, &empty));
    assert!(!holds(any, &none));
    assert!(holds(
        r#"{"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "x"}}"#,
        &none
    ));
    // Negated under a qualifier: per request value, "matches none of the policy values".
    assert!(holds(
        r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["team"]}}"#,
        &tags
    ));
    assert!(!holds(
        r#"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["team"]}}"#,
        &tags
    ));
    assert!(holds(
        r#"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["owner"]}}"#,
        &tags
    ));
    assert!(holds(
        r#"{"ForAllValues:StringLike": {"aws:TagKeys": ["t*", "e?v"]}}"#,
        &tags
    ));
}

#[test]
fn values_or_keys_and_operators_and() {
    let context = ctx()
        .with("sts:ExternalId", "b")
        .with("aws:PrincipalAccount", VENDOR_ACCOUNT);
    assert!(holds(
        r#"{"StringEquals": {"sts:ExternalId": ["a", "b"]}}"#,
        &context
    ));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": ["a", "c"]}}"#,
        &context
    ));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": []}}"#,
        &context
    ));
    let both = format!(
        r#"{{"StringEquals": {{"sts:ExternalId": "b", "aws:PrincipalAccount": "{VENDOR_ACCOUNT}"}}}}"#
    );
    assert!(holds(&both, &context));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": "b", "aws:PrincipalAccount": "111122223333"}}"#,
        &context
    ));
    assert!(holds(
        r#"{"StringEquals": {"sts:ExternalId": "b"}, "StringLike": {"aws:PrincipalAccount": "358*"}}"#,
        &context
    ));
    assert!(!holds(
        r#"{"StringEquals": {"sts:ExternalId": "b"}, "StringLike": {"aws:PrincipalAccount": "111*"}}"#,
        &context
    ));
    // Negated with several values: true only when none matches.
    assert!(!holds(
        r#"{"StringNotEquals": {"sts:ExternalId": ["a", "b"]}}"#,
        &context
    ));
    assert!(holds(
        r#"{"StringNotEquals": {"sts:ExternalId": ["a", "c"]}}"#,
        &context
    ));
}

#[test]
fn condition_keys_are_case_insensitive() {
    let context = ctx().with("STS:EXTERNALID", "x");
    assert!(holds(
        r#"{"StringEquals": {"sts:externalid": "x"}}"#,
        &context
    ));
    assert!(holds(
        r#"{"StringEquals": {"Sts:ExternalId": "x"}}"#,
        &context
    ));
    assert!(!holds(r#"{"Null": {"sts:ExternalID": "true"}}"#, &context));
}

#[test]
fn unknown_operators_and_empty_values_are_false() {
    let context = ctx().with("sts:ExternalId", "x");
    assert!(!holds(
        r#"{"StringEqualz": {"sts:ExternalId": "x"}}"#,
        &context
    ));
    assert!(!holds(
        r#"{"stringequals": {"sts:ExternalId": "x"}}"#,
        &context
    ));
    assert!(!holds(
        r#"{"StringEqualsIfExistz": {"sts:ExternalId": "x"}}"#,
        &ctx()
    ));
}

#[test]
fn typed_json_values_compare_by_text() {
    let context = ctx()
        .with("s3:max-keys", "10")
        .with("aws:MultiFactorAuthPresent", "true");
    assert!(holds(r#"{"StringEquals": {"s3:max-keys": 10}}"#, &context));
    assert!(!holds(
        r#"{"StringEquals": {"s3:max-keys": 10.0}}"#,
        &context
    ));
    assert!(holds(
        r#"{"StringEquals": {"aws:MultiFactorAuthPresent": true}}"#,
        &context
    ));
    assert!(holds(
        r#"{"NumericEquals": {"s3:max-keys": [9, 10]}}"#,
        &context
    ));
}

#[test]
fn derived_principal_keys() {
    let context = ctx();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"AWS": "{VENDOR_ACCOUNT}"}},
            "Action": "sts:AssumeRole",
            "Condition": {{"ArnEquals": {{"aws:PrincipalArn": "{VENDOR}"}},
                          "StringEquals": {{"aws:PrincipalAccount": "{VENDOR_ACCOUNT}"}}}}}}}}"#
    );
    let role = Request::new("sts:AssumeRole", ROLE, &context).by(PrincipalRef::from_arn(VENDOR));
    assert_eq!(
        decision(&policy, &role, PrincipalMode::Trust),
        Decision::Allow
    );
    // A session's aws:PrincipalArn is its role's ARN.
    let session = "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/worker";
    let by_session =
        Request::new("sts:AssumeRole", ROLE, &context).by(PrincipalRef::from_arn(session));
    assert_eq!(
        decision(&policy, &by_session, PrincipalMode::Trust),
        Decision::Allow
    );
    let other = "arn:aws:iam::358587034707:role/Other";
    let by_other = Request::new("sts:AssumeRole", ROLE, &context).by(PrincipalRef::from_arn(other));
    assert_eq!(
        decision(&policy, &by_other, PrincipalMode::Trust),
        Decision::ImplicitDeny
    );
    // The context wins over what is derived.
    let overridden = ctx().with("aws:PrincipalArn", other);
    let by_role =
        Request::new("sts:AssumeRole", ROLE, &overridden).by(PrincipalRef::from_arn(VENDOR));
    assert_eq!(
        decision(&policy, &by_role, PrincipalMode::Trust),
        Decision::ImplicitDeny
    );
    let service =
        Request::new("kms:Decrypt", KEY, &context).by(PrincipalRef::service("logs.amazonaws.com"));
    assert_eq!(
        service.values("aws:PrincipalServiceName").unwrap(),
        vec!["logs.amazonaws.com"]
    );
    assert!(service.values("aws:PrincipalArn").is_none());
    // A service belongs to no account: the key is absent, not empty.
    assert!(service.values("aws:PrincipalAccount").is_none());
}

// ---------------------------------------------------------------------------------------------
// Policy variables

#[test]
fn variables_in_resource() {
    let policy = |version: &str| {
        format!(
            r#"{{"Version": "{version}", "Statement": {{"Effect": "Allow", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::home/${{aws:username}}/*"}}}}"#
        )
    };
    let context = ctx();
    let alice = PrincipalRef::from_arn("arn:aws:iam::111122223333:user/staff/alice");
    let own = Request::new(
        "s3:GetObject",
        "arn:aws:s3:::home/alice/notes.txt",
        &context,
    )
    .by(alice);
    let other = Request::new("s3:GetObject", "arn:aws:s3:::home/bob/notes.txt", &context).by(alice);
    let literal = Request::new(
        "s3:GetObject",
        "arn:aws:s3:::home/${aws:username}/x",
        &context,
    )
    .by(alice);
    let current = policy("2012-10-17");
    assert_eq!(
        decision(&current, &own, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&current, &other, PrincipalMode::Identity),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decision(&current, &literal, PrincipalMode::Identity),
        Decision::ImplicitDeny
    );
    // Without 2012-10-17 the variable is literal text.
    for legacy in [
        policy("2008-10-17"),
        current.replace(r#""Version": "2012-10-17", "#, ""),
    ] {
        assert_eq!(
            decision(&legacy, &own, PrincipalMode::Identity),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decision(&legacy, &literal, PrincipalMode::Identity),
            Decision::Allow
        );
    }
    // A role has no aws:username: the pattern matches nothing, so NotResource excludes nothing.
    let role = Request::new("s3:GetObject", "arn:aws:s3:::home/alice/x", &context)
        .by(PrincipalRef::from_arn(ROLE));
    assert_eq!(
        decision(&current, &role, PrincipalMode::Identity),
        Decision::ImplicitDeny
    );
    let not_resource = identity(
        r#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    assert_eq!(
        decision(&not_resource, &role, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&not_resource, &own, PrincipalMode::Identity),
        Decision::ImplicitDeny
    );
}

#[test]
fn variables_in_conditions() {
    let tagged = ctx()
        .with("aws:PrincipalTag/team", "blue")
        .with("aws:ResourceTag/team", "blue");
    let untagged = ctx().with("aws:ResourceTag/team", "company-wide");
    let condition = r#"{"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}"#;
    assert!(holds(condition, &tagged));
    assert!(!holds(condition, &untagged));
    let with_default =
        r#"{"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'company-wide'}"}}"#;
    assert!(holds(with_default, &tagged));
    assert!(holds(with_default, &untagged));
    // An unresolvable variable makes the value match nothing, so the negated form holds.
    assert!(holds(
        r#"{"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}"#,
        &untagged
    ));
    // Variable names are condition keys: case-insensitive.
    assert!(holds(
        r#"{"StringEquals": {"aws:ResourceTag/team": "${AWS:principaltag/TEAM}"}}"#,
        &tagged
    ));
    // Legacy version: literal text.
    let literal = ctx().with("aws:ResourceTag/team", "${aws:PrincipalTag/team}");
    assert!(!holds_in("2008-10-17", condition, &tagged));
    assert!(holds_in("2008-10-17", condition, &literal));
    assert!(!holds_in("2012-10-17", condition, &literal));
    // Variables are not substituted for other operator families.
    let number = ctx().with("s3:max-keys", "5").with("x:limit", "5");
    assert!(!holds(
        r#"{"NumericEquals": {"s3:max-keys": "${x:limit}"}}"#,
        &number
    ));
    // ARN operators substitute too.
    let arn = ctx()
        .with("aws:SourceArn", VENDOR)
        .with("x:account", VENDOR_ACCOUNT);
    assert!(holds(
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:iam::${x:account}:role/*"}}"#,
        &arn
    ));
}

#[test]
fn special_variables_are_literal_characters() {
    let star = ctx().with("s3:prefix", "a*b");
    let plain = ctx().with("s3:prefix", "axxb");
    let condition = r#"{"StringLike": {"s3:prefix": "a${*}b"}}"#;
    assert!(holds(condition, &star));
    assert!(!holds(condition, &plain));
    assert!(holds(r#"{"StringLike": {"s3:prefix": "a*b"}}"#, &plain));
    assert!(holds(
        r#"{"StringEquals": {"s3:prefix": "a${?}b"}}"#,
        &ctx().with("s3:prefix", "a?b")
    ));
    assert!(holds(
        r#"{"StringEquals": {"s3:prefix": "${$}x"}}"#,
        &ctx().with("s3:prefix", "$x")
    ));
    // Beside a variable, an `Equals` operator's `*` and `?` are still literal characters.
    for (wildcard, matched) in [("*", "xx"), ("?", "x")] {
        let condition = format!(r#"{{"StringEquals": {{"s3:prefix": "a{wildcard}${{x:v}}"}}}}"#);
        let written = ctx()
            .with("x:v", "b")
            .with("s3:prefix", format!("a{wildcard}b"));
        let other = ctx()
            .with("x:v", "b")
            .with("s3:prefix", format!("a{matched}b"));
        assert!(holds(&condition, &written), "{condition}");
        assert!(!holds(&condition, &other), "{condition}");
    }
    // An unclosed `${` is plain text.
    assert!(holds(
        r#"{"StringEquals": {"s3:prefix": "a${b"}}"#,
        &ctx().with("s3:prefix", "a${b")
    ));
}

// ---------------------------------------------------------------------------------------------
// Principals

/// A key policy allowing `kms:Decrypt` to `principal` (a JSON value).
fn key_policy(element: &str, principal: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "{element}": {principal},
            "Action": "kms:Decrypt", "Resource": "*"}}]}}"#
    )
}

fn principal_decision(principal_json: &str, caller: Option<PrincipalRef<'_>>) -> Evaluation {
    let context = ctx();
    let mut request = Request::new("kms:Decrypt", KEY, &context);
    request.principal = caller;
    eval(
        &key_policy("Principal", principal_json),
        &request,
        PrincipalMode::Resource,
    )
}

#[test]
fn principal_forms() {
    let vendor = Some(PrincipalRef::from_arn(VENDOR));
    let session = Some(PrincipalRef::from_arn(
        "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/session-1",
    ));
    let other_role = Some(PrincipalRef::from_arn(
        "arn:aws:iam::358587034707:role/Other",
    ));
    let stranger = Some(PrincipalRef::from_arn(
        "arn:aws:iam::444455556666:role/SegBots-Servers-Role",
    ));
    let service = Some(PrincipalRef::service("kms.amazonaws.com"));
    let allowed = |principal: &str, caller| principal_decision(principal, caller).is_allowed();

    for everyone in [r#""*""#, r#"{"AWS": "*"}"#, r#"{"AWS": ["*"]}"#] {
        for caller in [vendor, session, stranger, service, None] {
            assert!(allowed(everyone, caller), "{everyone}");
        }
        assert!(!principal_decision(everyone, vendor).principal_matched_by_account);
    }
    for account in [
        r#"{"AWS": "arn:aws:iam::358587034707:root"}"#,
        r#"{"AWS": "358587034707"}"#,
    ] {
        for caller in [vendor, session, other_role] {
            let evaluation = principal_decision(account, caller);
            assert!(evaluation.is_allowed(), "{account}");
            assert!(evaluation.principal_matched_by_account);
            assert_eq!(evaluation.allowed_by_account, vec![0]);
        }
        for caller in [stranger, service, None] {
            assert!(!allowed(account, caller), "{account}");
        }
    }
    // Another partition's root is another account.
    assert!(!allowed(
        r#"{"AWS": "arn:aws-cn:iam::358587034707:root"}"#,
        vendor
    ));

    let role = format!(r#"{{"AWS": "{VENDOR}"}}"#);
    let evaluation = principal_decision(&role, vendor);
    assert!(evaluation.is_allowed());
    assert!(!evaluation.principal_matched_by_account);
    assert!(allowed(&role, session));
    // A session of a role with the same name in another account is not the role's.
    assert!(!allowed(
        &role,
        Some(PrincipalRef::from_arn(
            "arn:aws:sts::444455556666:assumed-role/SegBots-Servers-Role/session-1"
        ))
    ));
    for caller in [other_role, stranger, service, None] {
        assert!(!allowed(&role, caller));
    }
    // Role names are case-sensitive in principals.
    assert!(!allowed(
        r#"{"AWS": "arn:aws:iam::358587034707:role/segbots-servers-role"}"#,
        vendor
    ));
    // The path is part of the role ARN; a session carries only the name.
    let with_path =
        r#"{"AWS": "arn:aws:iam::358587034707:role/service-role/SegBots-Servers-Role"}"#;
    assert!(!allowed(with_path, vendor));
    assert!(allowed(with_path, session));
    // A session ARN names that session only.
    let session_principal =
        r#"{"AWS": "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/session-1"}"#;
    assert!(allowed(session_principal, session));
    assert!(!allowed(session_principal, vendor));
    assert!(!allowed(
        session_principal,
        Some(PrincipalRef::from_arn(
            "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/session-2"
        ))
    ));

    // Partial wildcards never match.
    for partial in [
        r#"{"AWS": "arn:aws:iam::358587034707:role/*"}"#,
        r#"{"AWS": "arn:aws:iam::*:role/SegBots-Servers-Role"}"#,
        r#"{"AWS": "35858703470?"}"#,
        r#"{"Service": "*"}"#,
        r#"{"Service": "*.amazonaws.com"}"#,
    ] {
        for caller in [vendor, session, service] {
            assert!(!allowed(partial, caller), "{partial}");
        }
    }

    assert!(allowed(r#"{"Service": "kms.amazonaws.com"}"#, service));
    assert!(allowed(
        r#"{"Service": ["logs.amazonaws.com", "kms.amazonaws.com"]}"#,
        service
    ));
    assert!(!allowed(r#"{"Service": "logs.amazonaws.com"}"#, service));
    assert!(!allowed(r#"{"Service": "kms.amazonaws.com"}"#, vendor));
    assert!(allowed(
        r#"{"Federated": "accounts.google.com"}"#,
        Some(PrincipalRef::federated("accounts.google.com"))
    ));
    assert!(!allowed(r#"{"Federated": "accounts.google.com"}"#, vendor));
    assert!(!allowed(r#"{"CanonicalUser": "79a59df900b949e5"}"#, vendor));
    assert!(!allowed(r#"{"Unknown": "*"}"#, vendor));
    assert!(!allowed(r#""358587034707""#, vendor));

    // A value that is neither an ARN nor a 12-digit account id (a unique id, say) names only
    // the identical principal; twelve characters do not make it an account, nor do digits
    // alone.
    let unique = Some(PrincipalRef::from_arn("AIDA12345678"));
    assert!(allowed(r#"{"AWS": "AIDA12345678"}"#, unique));
    assert!(!allowed(r#"{"AWS": "AIDA12345678"}"#, vendor));
    assert!(!allowed(
        r#"{"AWS": "35858703470"}"#,
        Some(PrincipalRef::from_arn("arn:aws:iam::35858703470:role/X"))
    ));
}

#[test]
fn exact_match_wins_over_account_match() {
    let both = format!(r#"{{"AWS": ["{VENDOR_ACCOUNT}", "{VENDOR}"]}}"#);
    let evaluation = principal_decision(&both, Some(PrincipalRef::from_arn(VENDOR)));
    assert!(evaluation.is_allowed());
    assert!(evaluation.allowed_by_account.is_empty());
    assert!(!evaluation.principal_matched_by_account);
    // Two statements, one by account and one exact: the exact one is enough.
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
            {{"Effect": "Allow", "Principal": {{"AWS": "{VENDOR_ACCOUNT}"}}, "Action": "kms:*", "Resource": "*"}},
            {{"Effect": "Allow", "Principal": {{"AWS": "{VENDOR}"}}, "Action": "kms:Decrypt", "Resource": "*"}}]}}"#
    );
    let context = ctx();
    let request = Request::new("kms:Decrypt", KEY, &context).by(PrincipalRef::from_arn(VENDOR));
    let evaluation = eval(&policy, &request, PrincipalMode::Resource);
    assert_eq!(evaluation.allowed_by, vec![0, 1]);
    assert_eq!(evaluation.allowed_by_account, vec![0]);
    assert!(!evaluation.principal_matched_by_account);
    let encrypt = Request::new("kms:Encrypt", KEY, &context).by(PrincipalRef::from_arn(VENDOR));
    assert!(eval(&policy, &encrypt, PrincipalMode::Resource).principal_matched_by_account);
}

#[test]
fn not_principal_inverts() {
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
            {{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}},
            {{"Effect": "Deny", "NotPrincipal": {{"AWS": "{VENDOR}"}}, "Action": "kms:*", "Resource": "*"}}]}}"#
    );
    let context = ctx();
    let request = |caller: &'static str| {
        Request::new("kms:Decrypt", KEY, &context).by(PrincipalRef::from_arn(caller))
    };
    let vendor = request(VENDOR);
    assert_eq!(
        decision(&policy, &vendor, PrincipalMode::Resource),
        Decision::Allow
    );
    let other = request("arn:aws:iam::358587034707:role/Other");
    assert_eq!(
        decision(&policy, &other, PrincipalMode::Resource),
        Decision::ExplicitDeny
    );
    let anonymous = Request::new("kms:Decrypt", KEY, &context);
    assert_eq!(
        decision(&policy, &anonymous, PrincipalMode::Resource),
        Decision::ExplicitDeny
    );
    assert_eq!(
        principal_decision(&format!(r#"{{"AWS": "{VENDOR}"}}"#), None).decision,
        Decision::ImplicitDeny
    );
    let not_principal = key_policy("NotPrincipal", r#"{"AWS": "111122223333"}"#);
    assert_eq!(
        decision(&not_principal, &vendor, PrincipalMode::Resource),
        Decision::Allow
    );
    let evaluation = eval(&not_principal, &vendor, PrincipalMode::Resource);
    assert!(!evaluation.principal_matched_by_account);
}

#[test]
fn identity_mode_ignores_principals_and_resource_mode_requires_them() {
    let context = ctx();
    let request = Request::new("kms:Decrypt", KEY, &context).by(PrincipalRef::from_arn(VENDOR));
    let no_principal = identity(r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#);
    assert_eq!(
        decision(&no_principal, &request, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&no_principal, &request, PrincipalMode::Resource),
        Decision::ImplicitDeny
    );
    let other = key_policy(
        "Principal",
        r#"{"AWS": "arn:aws:iam::111122223333:role/X"}"#,
    );
    assert_eq!(
        decision(&other, &request, PrincipalMode::Identity),
        Decision::Allow
    );
    assert_eq!(
        decision(&other, &request, PrincipalMode::Resource),
        Decision::ImplicitDeny
    );
    assert_eq!(
        PrincipalMode::for_kind(crate::DocumentKind::Key),
        Some(PrincipalMode::Resource)
    );
    assert_eq!(PrincipalMode::for_kind(crate::DocumentKind::RoleArn), None);
}

// ---------------------------------------------------------------------------------------------
// Trust-policy bypasses that later rules rely on

fn trust(condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
            "Principal": {{"AWS": "{VENDOR}"}}, "Action": "sts:AssumeRole",
            "Condition": {condition}}}]}}"#
    )
}

/// Whether the vendor can assume the role with `external_id` (`None`: without one).
fn assume(policy: &str, external_id: Option<&str>) -> bool {
    let context = match external_id {
        Some(id) => ctx().with("sts:ExternalId", id),
        None => ctx(),
    };
    let request = Request::new("sts:AssumeRole", ROLE, &context).by(PrincipalRef::from_arn(VENDOR));
    eval(policy, &request, PrincipalMode::Trust).is_allowed()
}

#[test]
fn trust_policy_external_id_bypasses() {
    let correct = trust(r#"{"StringEquals": {"sts:ExternalId": "tenant-42"}}"#);
    assert!(assume(&correct, Some("tenant-42")));
    assert!(!assume(&correct, Some("tenant-43")));
    assert!(!assume(&correct, None));

    // P2: IfExists lets a request without the key through.
    let if_exists = trust(r#"{"StringEqualsIfExists": {"sts:ExternalId": "tenant-42"}}"#);
    assert!(assume(&if_exists, None));
    assert!(!assume(&if_exists, Some("tenant-43")));

    // P3: StringLike "*" lets any value through (but still needs one).
    let like = trust(r#"{"StringLike": {"sts:ExternalId": "*"}}"#);
    assert!(assume(&like, Some("anything")));
    assert!(!assume(&like, None));

    // P4: a negated operator is true when the key is absent.
    let not_equals = trust(r#"{"StringNotEquals": {"sts:ExternalId": "wrong-id"}}"#);
    assert!(assume(&not_equals, None));
    assert!(assume(&not_equals, Some("guess")));
    assert!(!assume(&not_equals, Some("wrong-id")));

    // P5: ForAllValues lets a request without the key through; ForAnyValue does not.
    let for_all = trust(r#"{"ForAllValues:StringEquals": {"sts:ExternalId": "tenant-42"}}"#);
    assert!(assume(&for_all, None));
    assert!(!assume(&for_all, Some("tenant-43")));
    let for_any = trust(r#"{"ForAnyValue:StringEquals": {"sts:ExternalId": "tenant-42"}}"#);
    assert!(!assume(&for_any, None));
    assert!(assume(&for_any, Some("tenant-42")));

    // P6: Null false requires presence only.
    let null = trust(r#"{"Null": {"sts:ExternalId": "false"}}"#);
    assert!(assume(&null, Some("anything")));
    assert!(!assume(&null, None));

    // P7: several values are ORed.
    let several = trust(r#"{"StringEquals": {"sts:ExternalId": ["tenant-42", "tenant-43"]}}"#);
    assert!(assume(&several, Some("tenant-43")));

    // P13: case-variant key names are the same key.
    let variant = trust(r#"{"StringEquals": {"STS:externalid": "tenant-42"}}"#);
    assert!(assume(&variant, Some("tenant-42")));
    assert!(!assume(&variant, None));
}

#[test]
fn an_unconditioned_second_statement_wins() {
    // P8: statements are ORed.
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
            {{"Effect": "Allow", "Principal": {{"AWS": "{VENDOR}"}}, "Action": "sts:AssumeRole",
              "Condition": {{"StringEquals": {{"sts:ExternalId": "tenant-42"}}}}}},
            {{"Effect": "Allow", "Principal": {{"AWS": "{VENDOR_ACCOUNT}"}}, "Action": "sts:Assume*"}}]}}"#
    );
    assert!(assume(&policy, None));
    let context = ctx();
    let request = Request::new("sts:AssumeRole", ROLE, &context).by(PrincipalRef::from_arn(VENDOR));
    let evaluation = eval(&policy, &request, PrincipalMode::Trust);
    assert_eq!(evaluation.allowed_by, vec![1]);
    assert!(evaluation.principal_matched_by_account);
}

// ---------------------------------------------------------------------------------------------
// Laws over generated policies and requests

mod laws {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    const ACTIONS: [&str; 8] = [
        "kms:Decrypt",
        "kms:*",
        "kms:Encrypt",
        "*",
        "kms:GenerateDataKey*",
        "KMS:decrypt",
        "sts:AssumeRole",
        "s3:?etObject",
    ];
    const RESOURCES: [&str; 5] = [
        "*",
        KEY,
        "arn:aws:kms:*:111122223333:key/*",
        OTHER_KEY,
        "arn:aws:s3:::home/${aws:username}/*",
    ];
    const PRINCIPALS: [&str; 5] = [
        "arn:aws:iam::358587034707:root",
        "358587034707",
        VENDOR,
        "arn:aws:iam::111122223333:role/Other",
        "*",
    ];
    const CONDITIONS: [&str; 7] = [
        r#"{"StringEquals": {"sts:ExternalId": "tenant-42"}}"#,
        r#"{"StringEqualsIfExists": {"sts:ExternalId": "tenant-42"}}"#,
        r#"{"StringNotEquals": {"sts:ExternalId": "tenant-42"}}"#,
        r#"{"ForAllValues:StringEquals": {"sts:ExternalId": "tenant-42"}}"#,
        r#"{"Null": {"sts:ExternalId": "false"}}"#,
        r#"{"StringLike": {"sts:ExternalId": "tenant-*"}, "Bool": {"aws:SecureTransport": true}}"#,
        r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::358587034707:role/*"}}"#,
    ];

    const REQUEST_ACTIONS: [&str; 6] = [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKeyPair",
        "sts:AssumeRole",
        "s3:GetObject",
        "iam:PassRole",
    ];
    const REQUEST_RESOURCES: [&str; 3] = [KEY, OTHER_KEY, "arn:aws:s3:::home/alice/x"];
    const CALLERS: [&str; 4] = [
        VENDOR,
        "arn:aws:sts::358587034707:assumed-role/SegBots-Servers-Role/s",
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::444455556666:role/Stranger",
    ];
    const MODES: [PrincipalMode; 3] = [
        PrincipalMode::Identity,
        PrincipalMode::Resource,
        PrincipalMode::Trust,
    ];

    #[derive(Debug, Clone)]
    struct GenStatement {
        effect: usize,
        not_action: bool,
        actions: Vec<usize>,
        resource: Option<(bool, Vec<usize>)>,
        principal: Option<(bool, Vec<usize>)>,
        condition: Option<usize>,
    }

    #[derive(Debug, Clone)]
    struct GenRequest {
        action: usize,
        resource: usize,
        caller: Option<usize>,
        external_id: Option<usize>,
        secure: bool,
        mode: usize,
    }

    fn statement() -> impl Strategy<Value = GenStatement> {
        (
            0..5usize,
            any::<bool>(),
            prop::collection::vec(0..ACTIONS.len(), 1..3),
            prop::option::weighted(
                0.9,
                (
                    prop::bool::weighted(0.2),
                    prop::collection::vec(0..RESOURCES.len(), 1..3),
                ),
            ),
            prop::option::weighted(
                0.9,
                (
                    prop::bool::weighted(0.1),
                    prop::collection::vec(0..PRINCIPALS.len(), 1..3),
                ),
            ),
            prop::option::of(0..CONDITIONS.len()),
        )
            .prop_map(
                |(effect, not_action, actions, resource, principal, condition)| GenStatement {
                    effect,
                    not_action,
                    actions,
                    resource,
                    principal,
                    condition,
                },
            )
    }

    fn request() -> impl Strategy<Value = GenRequest> {
        (
            0..REQUEST_ACTIONS.len(),
            0..REQUEST_RESOURCES.len(),
            prop::option::weighted(0.9, 0..CALLERS.len()),
            prop::option::of(0..3usize),
            any::<bool>(),
            0..MODES.len(),
        )
            .prop_map(
                |(action, resource, caller, external_id, secure, mode)| GenRequest {
                    action,
                    resource,
                    caller,
                    external_id,
                    secure,
                    mode,
                },
            )
    }

    fn statement_json(s: &GenStatement, sid: usize) -> Value {
        // Mostly valid effects, sometimes a missing or invalid one (which must be ignored).
        let effect = ["Allow", "Deny", "Allow", "Deny", "allow"]
            .get(s.effect)
            .copied()
            .unwrap_or("Allow");
        let mut object = serde_json::Map::new();
        object.insert("Sid".into(), json!(format!("S{sid}")));
        object.insert("Effect".into(), json!(effect));
        let actions: Vec<&str> = s.actions.iter().map(|&i| ACTIONS[i]).collect();
        let key = if s.not_action { "NotAction" } else { "Action" };
        object.insert(key.into(), json!(actions));
        if let Some((negated, resources)) = &s.resource {
            let values: Vec<&str> = resources.iter().map(|&i| RESOURCES[i]).collect();
            let key = if *negated { "NotResource" } else { "Resource" };
            object.insert(key.into(), json!(values));
        }
        if let Some((negated, principals)) = &s.principal {
            let values: Vec<&str> = principals.iter().map(|&i| PRINCIPALS[i]).collect();
            let key = if *negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            object.insert(key.into(), json!({ "AWS": values }));
        }
        if let Some(condition) = s.condition {
            let value: Value = serde_json::from_str(CONDITIONS[condition]).unwrap();
            object.insert("Condition".into(), value);
        }
        Value::Object(object)
    }

    /// The policy text of `statements`; each statement's Sid is its number in `sids`.
    fn policy_text(statements: &[(usize, &GenStatement)]) -> String {
        let statements: Vec<Value> = statements
            .iter()
            .map(|(sid, s)| statement_json(s, *sid))
            .collect();
        json!({"Version": "2012-10-17", "Statement": statements}).to_string()
    }

    fn numbered(statements: &[GenStatement]) -> Vec<(usize, &GenStatement)> {
        statements.iter().enumerate().collect()
    }

    fn context_of(r: &GenRequest) -> RequestContext {
        let mut context = RequestContext::new().with("aws:SecureTransport", r.secure.to_string());
        if let Some(id) = r.external_id {
            context.insert("sts:ExternalId", [["tenant-42", "tenant-43", "other"][id]]);
        }
        context
    }

    /// Evaluates `text` and names the deciding statements by Sid.
    fn run(
        text: &str,
        r: &GenRequest,
        context: &RequestContext,
    ) -> (Decision, Vec<String>, Vec<String>) {
        run_with(evaluate, text, r, context)
    }

    fn run_with(
        evaluate: fn(&crate::policy::Policy<'_>, &Request<'_>, PrincipalMode) -> super::Evaluation,
        text: &str,
        r: &GenRequest,
        context: &RequestContext,
    ) -> (Decision, Vec<String>, Vec<String>) {
        let mut request = Request::new(
            REQUEST_ACTIONS[r.action],
            REQUEST_RESOURCES[r.resource],
            context,
        );
        request.principal = r.caller.map(|c| PrincipalRef::from_arn(CALLERS[c]));
        with_policy(text, |policy| {
            let evaluation = evaluate(policy, &request, MODES[r.mode]);
            let sids = |indices: &[usize]| {
                let mut sids: Vec<String> = indices
                    .iter()
                    .map(|&i| policy.statements[i].sid.unwrap().value.to_string())
                    .collect();
                sids.sort();
                sids
            };
            (
                evaluation.decision,
                sids(&evaluation.allowed_by),
                sids(&evaluation.denied_by),
            )
        })
    }

    proptest! {
        /// The relaxed reading is the evaluation of the text with every Allow's `Condition`
        /// removed and every Deny that has one removed whole.
        #[test]
        fn relaxed_reading_is_the_text_without_those_conditions(
            statements in prop::collection::vec(statement(), 0..6),
            r in request(),
        ) {
            let context = context_of(&r);
            let relaxed: Vec<GenStatement> = statements
                .iter()
                .filter(|s| !(matches!(s.effect, 1 | 3) && s.condition.is_some()))
                .map(|s| GenStatement {
                    condition: s.condition.filter(|_| !matches!(s.effect, 0 | 2)),
                    ..s.clone()
                })
                .collect();
            // Sids stay those of the original positions.
            let kept: Vec<usize> = statements
                .iter()
                .enumerate()
                .filter(|(_, s)| !(matches!(s.effect, 1 | 3) && s.condition.is_some()))
                .map(|(i, _)| i)
                .collect();
            let relaxed_text = policy_text(&kept.iter().copied().zip(&relaxed).collect::<Vec<_>>());
            prop_assert_eq!(
                run_with(super::evaluate_relaxed, &policy_text(&numbered(&statements)), &r, &context),
                run(&relaxed_text, &r, &context)
            );
        }

        #[test]
        fn adding_a_deny_never_grants_more(
            statements in prop::collection::vec(statement(), 0..5),
            mut extra in statement(),
            r in request(),
        ) {
            extra.effect = 1;
            let context = context_of(&r);
            let before = run(&policy_text(&numbered(&statements)), &r, &context).0;
            let mut with_deny = numbered(&statements);
            with_deny.push((99, &extra));
            let after = run(&policy_text(&with_deny), &r, &context).0;
            if after == Decision::Allow {
                prop_assert_eq!(before, Decision::Allow);
            }
            if before == Decision::ExplicitDeny {
                prop_assert_eq!(after, Decision::ExplicitDeny);
            }
        }

        #[test]
        fn adding_an_allow_never_grants_less(
            statements in prop::collection::vec(statement(), 0..5),
            mut extra in statement(),
            r in request(),
        ) {
            extra.effect = 0;
            let context = context_of(&r);
            let before = run(&policy_text(&numbered(&statements)), &r, &context).0;
            let mut with_allow = numbered(&statements);
            with_allow.push((99, &extra));
            let after = run(&policy_text(&with_allow), &r, &context).0;
            match before {
                Decision::Allow => prop_assert_eq!(after, Decision::Allow),
                Decision::ExplicitDeny => prop_assert_eq!(after, Decision::ExplicitDeny),
                Decision::ImplicitDeny => prop_assert_ne!(after, Decision::ExplicitDeny),
            }
        }

        #[test]
        fn statement_order_does_not_matter(
            statements in prop::collection::vec(statement(), 0..6),
            rotate in 0..6usize,
            r in request(),
        ) {
            let context = context_of(&r);
            let forward = numbered(&statements);
            let mut reversed = forward.clone();
            reversed.reverse();
            let mut rotated = forward.clone();
            if !rotated.is_empty() {
                let by = rotate % rotated.len();
                rotated.rotate_left(by);
            }
            let expected = run(&policy_text(&forward), &r, &context);
            prop_assert_eq!(&run(&policy_text(&reversed), &r, &context), &expected);
            prop_assert_eq!(&run(&policy_text(&rotated), &r, &context), &expected);
        }

        #[test]
        fn implicit_deny_exactly_when_no_statement_applies(
            statements in prop::collection::vec(statement(), 0..5),
            r in request(),
        ) {
            let context = context_of(&r);
            let text = policy_text(&numbered(&statements));
            let mut request = Request::new(
                REQUEST_ACTIONS[r.action],
                REQUEST_RESOURCES[r.resource],
                &context,
            );
            request.principal = r.caller.map(|c| PrincipalRef::from_arn(CALLERS[c]));
            let mode = MODES[r.mode];
            with_policy(&text, |policy| {
                let evaluation = evaluate(policy, &request, mode);
                let variables = policy.supports_variables();
                let applying: Vec<(usize, crate::policy::Effect)> = policy
                    .statements
                    .iter()
                    .filter(|s| statement_applies(s, &request, mode, variables))
                    .filter_map(|s| s.effect().map(|e| (s.index, e)))
                    .collect();
                prop_assert_eq!(
                    evaluation.decision == Decision::ImplicitDeny,
                    applying.is_empty()
                );
                let allows: Vec<usize> = applying
                    .iter()
                    .filter(|(_, e)| *e == crate::policy::Effect::Allow)
                    .map(|(i, _)| *i)
                    .collect();
                let denies: Vec<usize> = applying
                    .iter()
                    .filter(|(_, e)| *e == crate::policy::Effect::Deny)
                    .map(|(i, _)| *i)
                    .collect();
                prop_assert_eq!(&evaluation.allowed_by, &allows);
                prop_assert_eq!(&evaluation.denied_by, &denies);
                prop_assert!(evaluation
                    .allowed_by_account
                    .iter()
                    .all(|i| evaluation.allowed_by.contains(i)));
                Ok(())
            })?;
        }
    }
}

#[test]
fn the_best_principal_match_does_not_depend_on_key_order() {
    // A service listed beside `"AWS": "*"` matches the service exactly, whichever comes first;
    // an account root beside `"*"` is matched by `"*"` (Any outranks Account).
    for principal in [
        r#"{"AWS": "*", "Service": "ec2.amazonaws.com"}"#,
        r#"{"Service": "ec2.amazonaws.com", "AWS": "*"}"#,
    ] {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"}}]}}"#
        );
        with_policy(&text, |policy| {
            let element = policy.statements[0]
                .principal
                .as_ref()
                .expect("a principal");
            let service = PrincipalRef::service("ec2.amazonaws.com");
            assert_eq!(
                principal_matches(element, Some(&service)),
                Some(PrincipalMatch::Exact),
                "{principal}"
            );
        });
    }
    for principal in [
        r#"{"AWS": ["*", "arn:aws:iam::111122223333:root"]}"#,
        r#"{"AWS": ["arn:aws:iam::111122223333:root", "*"]}"#,
    ] {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "kms:*", "Resource": "*"}}]}}"#
        );
        with_policy(&text, |policy| {
            let element = policy.statements[0]
                .principal
                .as_ref()
                .expect("a principal");
            let caller = PrincipalRef::from_arn(ROLE);
            assert_eq!(
                principal_matches(element, Some(&caller)),
                Some(PrincipalMatch::Any),
                "{principal}"
            );
        });
    }
}
