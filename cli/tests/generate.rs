//! `byokcheck generate`: what it writes verifies clean, in each format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "end-to-end tests: a failure is a failing test"
)]

mod common;

use byokcheck_core::{check, Context, DocumentKind};
use common::{byokcheck, TempDir};
use insta::assert_snapshot;

const INPUTS: [&str; 10] = [
    "--account-id",
    "210987654321",
    "--region",
    "eu-west-1",
    "--role-name",
    "BYOK_Role",
    "--external-id",
    "kore-7f3a9c2e-byok",
    "--instance",
    "platform.kore.ai",
];
const KEY_ID: &str = "5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";

fn generate(dir: &TempDir, extra: &[&str]) -> common::Run {
    let mut args = vec!["generate"];
    args.extend(INPUTS);
    args.extend_from_slice(extra);
    byokcheck(dir.path(), &args)
}

/// The context a template's documents verify against: the created key gets the ARN `key_arn`.
fn context(key_arn: &str) -> Context {
    Context {
        instance: Some("platform.kore.ai".into()),
        service_role_arn: None,
        external_id: Some("kore-7f3a9c2e-byok".into()),
        role_arn: Some("arn:aws:iam::210987654321:role/BYOK_Role".into()),
        cmk_arn: Some(key_arn.into()),
    }
}

fn assert_clean(text: &str, kind: DocumentKind, context: &Context) {
    let report = check(text, kind, context);
    assert!(
        report.findings.is_empty(),
        "{kind} is not clean: {:#?}\n{text}",
        report.findings
    );
}

#[test]
fn json_files_verify_clean_with_the_written_config() {
    let dir = TempDir::new("generate-json");
    let run = generate(&dir, &["--key-id", KEY_ID, "--out", "out"]);
    assert_eq!(run.status, 0, "{}", run.snapshot());
    for name in [
        "iam-policy.json",
        "trust-policy.json",
        "key-policy.json",
        "key-policy-statement.json",
        "byokcheck.toml",
    ] {
        assert!(
            dir.path().join("out").join(name).is_file(),
            "{name} was not written"
        );
    }
    assert_snapshot!(run.snapshot());

    let run = byokcheck(
        dir.path(),
        &[
            "verify",
            "--config",
            "out/byokcheck.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["summary"]["findings"], 0, "{}", run.stdout);
    for item in json["items"].as_array().unwrap() {
        let expected = if item["id"] == "policy_attachment" {
            "not_checked"
        } else {
            "passed"
        };
        assert_eq!(item["status"], expected, "{item}");
    }
    // The folder checks clean too (the statement file is excluded by the written config).
    let run = byokcheck(&dir.path().join("out"), &["check"]);
    assert_eq!(run.status, 0, "{}", run.snapshot());
    assert!(
        run.stdout.ends_with("checked 3 files: no findings\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn existing_files_are_not_overwritten_without_force() {
    let dir = TempDir::new("generate-force");
    assert_eq!(
        generate(&dir, &["--key-id", KEY_ID, "--out", "out"]).status,
        0
    );
    let run = generate(&dir, &["--key-id", KEY_ID, "--out", "out"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(
        generate(&dir, &["--key-id", KEY_ID, "--out", "out", "--force"]).status,
        0
    );
}

#[test]
fn bad_inputs_are_usage_errors() {
    let dir = TempDir::new("generate-bad");
    let run = generate(&dir, &["--out", "out"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("--key-id is required"),
        "{}",
        run.stderr
    );
    let run = byokcheck(
        dir.path(),
        &[
            "generate",
            "--account-id",
            "1234",
            "--region",
            "eu-west-1",
            "--key-id",
            KEY_ID,
            "--role-name",
            "BYOK_Role",
            "--external-id",
            "kore-7f3a9c2e-byok",
            "--out",
            "-",
        ],
    );
    assert_eq!(run.status, 2);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stderr.contains("1234"), "{}", run.stderr);
    assert!(!dir.path().join("out").exists());
}

/// Resolves the template's references to the created key and role.
fn resolve(value: &mut serde_json::Value, key_arn: &str) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("Fn::GetAtt") == Some(&serde_json::json!(["ByokKey", "Arn"])) {
                *value = serde_json::Value::String(key_arn.into());
                return;
            }
            map.values_mut().for_each(|v| resolve(v, key_arn));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, key_arn)),
        _ => {}
    }
}

#[test]
fn the_cloudformation_template_creates_the_setup_and_its_policies_are_clean() {
    let dir = TempDir::new("generate-cfn");
    let run = generate(&dir, &["--format", "cloudformation", "--out", "-"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_snapshot!(run.stdout);

    let mut template: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let key_arn = "arn:aws:kms:eu-west-1:210987654321:key/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    resolve(&mut template, key_arn);
    let resources = &template["Resources"];
    assert_eq!(resources["ByokRole"]["Type"], "AWS::IAM::Role");
    assert_eq!(resources["ByokKey"]["Type"], "AWS::KMS::Key");
    assert_eq!(resources["ByokPolicy"]["Type"], "AWS::IAM::ManagedPolicy");
    assert_eq!(
        resources["ByokPolicy"]["Properties"]["Roles"][0]["Ref"],
        "ByokRole"
    );
    let context = context(key_arn);
    let documents = [
        (
            &resources["ByokRole"]["Properties"]["AssumeRolePolicyDocument"],
            DocumentKind::Trust,
        ),
        (
            &resources["ByokKey"]["Properties"]["KeyPolicy"],
            DocumentKind::Key,
        ),
        (
            &resources["ByokPolicy"]["Properties"]["PolicyDocument"],
            DocumentKind::Iam,
        ),
    ];
    for (document, kind) in documents {
        assert!(document.is_object(), "{kind} missing");
        assert_clean(
            &serde_json::to_string_pretty(document).unwrap(),
            kind,
            &context,
        );
    }
}

/// The `<<-EOT` heredocs of a Terraform file, by the attribute they set, unindented and with
/// Terraform's template syntax resolved.
fn heredocs(tf: &str, key_arn: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = tf.lines();
    while let Some(line) = lines.next() {
        let Some((attribute, _)) = line.split_once("= <<-EOT") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "EOT").collect();
        let indent = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let text: String = body
            .iter()
            .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
            .collect();
        let text = text
            .replace("${aws_kms_key.byok.arn}", key_arn)
            .replace("$${", "${")
            .replace("%%{", "%{");
        found.push((attribute.trim().to_string(), text));
    }
    found
}

#[test]
fn the_terraform_file_creates_the_setup_and_its_policies_are_clean() {
    let dir = TempDir::new("generate-tf");
    let run = generate(&dir, &["--format", "terraform", "--out", "tf"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let tf = std::fs::read_to_string(dir.path().join("tf/byok-setup.tf")).unwrap();
    for resource in [
        "resource \"aws_iam_policy\" \"byok\"",
        "resource \"aws_iam_role\" \"byok\"",
        "resource \"aws_iam_role_policy_attachment\" \"byok\"",
        "resource \"aws_kms_key\" \"byok\"",
    ] {
        assert!(tf.contains(resource), "missing {resource}");
    }
    assert_snapshot!(tf);

    let key_arn = "arn:aws:kms:eu-west-1:210987654321:key/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    let context = context(key_arn);
    let documents = heredocs(&tf, key_arn);
    let attributes: Vec<&str> = documents.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(attributes, ["assume_role_policy", "policy", "policy"]);
    let kinds = [DocumentKind::Trust, DocumentKind::Key, DocumentKind::Iam];
    for ((_, text), kind) in documents.iter().zip(kinds) {
        assert_clean(text, kind, &context);
    }
    assert!(
        documents[2].1.contains(key_arn),
        "the IAM policy names the created key"
    );
}
