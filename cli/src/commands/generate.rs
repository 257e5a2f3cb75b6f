//! `byokcheck generate`: the documents a setup needs, as JSON files (with a byokcheck.toml that
//! verifies them), one CloudFormation template, or one Terraform file. The policies are core's
//! `generate` output, embedded as they are, so what is written verifies clean.

use std::io::Write;
use std::path::{Path, PathBuf};

use byokcheck_core::{generate, GenerateInput, GeneratedSetup};

use super::check::output_error;
use crate::args::{GenerateArgs, GenerateFormat};
use crate::config::display_path;
use crate::error::CliError;
use crate::exit::ExitStatus;

/// CloudFormation and Terraform create the key, so its id is not known when the template is
/// written: the documents are generated for this stand-in id, and the template refers to the
/// created key wherever its ARN appears.
pub const STAND_IN_KEY_ID: &str = "0b7e6f5c-3a2d-4c1b-9e8f-7a6b5c4d3e2f";

pub const CLOUDFORMATION_FILE: &str = "byok-setup.cloudformation.json";
pub const TERRAFORM_FILE: &str = "byok-setup.tf";

/// A file to write, with what it is for.
struct Output {
    name: &'static str,
    contents: String,
    purpose: String,
}

pub fn run(args: &GenerateArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let key_id = match (&args.key_id, args.format) {
        (Some(key_id), _) => key_id.clone(),
        (None, GenerateFormat::Json) => {
            return Err(CliError::Usage(
                "--key-id is required with `--format json` (the key exists already); CloudFormation and Terraform create it".into(),
            ))
        }
        (None, _) => STAND_IN_KEY_ID.to_string(),
    };
    let input = GenerateInput {
        account_id: args.account_id.clone(),
        region: args.region.clone(),
        key_id,
        role_name: args.role_name.clone(),
        external_id: args.external_id.clone(),
        instance: args.instance.clone(),
        service_role_arn: args.service_role_arn.clone(),
    };
    let setup = generate(&input).map_err(|e| CliError::Usage(e.to_string()))?;
    let vendor = args
        .instance
        .clone()
        .unwrap_or_else(|| byokcheck_core::context::DEFAULT_INSTANCE.to_string());
    let to_stdout = args.out.as_os_str() == "-";
    let outputs = match args.format {
        GenerateFormat::Json => {
            if to_stdout {
                serde_json::to_writer_pretty(&mut *out, &setup)
                    .map_err(|e| output_error(e.into()))?;
                writeln!(out).map_err(output_error)?;
                return Ok(ExitStatus::Success);
            }
            json_files(&setup)?
        }
        GenerateFormat::Cloudformation => vec![Output {
            name: CLOUDFORMATION_FILE,
            contents: cloudformation(&setup, &args.role_name, &vendor)?,
            purpose: "the stack: key, role, policy; deploy with `aws cloudformation deploy --capabilities CAPABILITY_NAMED_IAM`".into(),
        }],
        GenerateFormat::Terraform => vec![Output {
            name: TERRAFORM_FILE,
            contents: terraform(&setup, &args.role_name, &args.region, &vendor)?,
            purpose: "the key, role and policy; apply with `terraform init && terraform apply`".into(),
        }],
    };
    if to_stdout {
        for output in &outputs {
            out.write_all(output.contents.as_bytes())
                .map_err(output_error)?;
        }
        return Ok(ExitStatus::Success);
    }
    write_files(&args.out, &outputs, args.force)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = |name: &str| display_path(&args.out.join(name), &cwd);
    let width = outputs
        .iter()
        .map(|o| shown(o.name).len())
        .max()
        .unwrap_or(0);
    let mut report = String::from("wrote:\n");
    for output in &outputs {
        report.push_str(&format!(
            "  {:<width$}  {}\n",
            shown(output.name),
            output.purpose
        ));
    }
    if args.format == GenerateFormat::Json {
        report.push_str(&format!(
            "\nverify them with:\n  byokcheck verify --config {}\n",
            shown("byokcheck.toml")
        ));
        report.push_str(&format!(
            "\nshare with the vendor:\n  Role ARN  {}\n  CMK ARN   {}\n",
            setup.context.role_arn.as_deref().unwrap_or_default(),
            setup.context.cmk_arn.as_deref().unwrap_or_default()
        ));
    } else {
        report.push_str("\nshare with the vendor: the stack's `RoleArn` and `CmkArn` outputs\n");
    }
    out.write_all(report.as_bytes()).map_err(output_error)?;
    Ok(ExitStatus::Success)
}

fn json_files(setup: &GeneratedSetup) -> Result<Vec<Output>, CliError> {
    Ok(vec![
        Output {
            name: "iam-policy.json",
            contents: setup.iam_policy.clone(),
            purpose: "step 1: the IAM policy to attach to the role".into(),
        },
        Output {
            name: "trust-policy.json",
            contents: setup.trust_policy.clone(),
            purpose: "step 2: the role's trust policy".into(),
        },
        Output {
            name: "key-policy.json",
            contents: setup.key_policy.clone(),
            purpose: "steps 3-4: a whole key policy (account root + the role)".into(),
        },
        Output {
            name: "key-policy-statement.json",
            contents: setup.key_policy_statement.clone(),
            purpose: "step 4: the statement to add to an existing key policy".into(),
        },
        Output {
            name: "byokcheck.toml",
            contents: config_file(setup),
            purpose: "the context and paths for `byokcheck verify`".into(),
        },
    ])
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn config_file(setup: &GeneratedSetup) -> String {
    let context = &setup.context;
    let mut text = String::from(
        "# Written by `byokcheck generate`: verify the documents beside it with\n#   byokcheck verify --config <this file>\n",
    );
    for (key, value) in [
        ("instance", &context.instance),
        ("service_role_arn", &context.service_role_arn),
        ("external_id", &context.external_id),
        ("role_arn", &context.role_arn),
        ("cmk_arn", &context.cmk_arn),
    ] {
        if let Some(value) = value {
            text.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    // `byokcheck check` on the folder: the statement alone is not a policy.
    text.push_str("exclude = [\"key-policy-statement.json\"]\n");
    text.push_str(
        "\n[setup]\niam_policy = \"iam-policy.json\"\ntrust_policy = \"trust-policy.json\"\nkey_policy = \"key-policy.json\"\n",
    );
    text
}

/// Every line but the first indented by `by` (the first follows a key on its line).
fn indent_tail(text: &str, by: &str) -> String {
    let mut lines = text.trim_end().lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(by);
        }
        out.push_str(line);
    }
    out
}

fn json_string(text: &str) -> Result<String, CliError> {
    serde_json::to_string(text).map_err(|e| CliError::Usage(e.to_string()))
}

/// The created key's ARN wherever the stand-in key ARN appears, as the template language says it.
fn refer_to_key(policy: &str, setup: &GeneratedSetup, reference: &str) -> String {
    match &setup.context.cmk_arn {
        Some(arn) => policy.replace(&format!("\"{arn}\""), reference),
        None => policy.to_string(),
    }
}

/// A JSON CloudFormation template. The policy is attached from its side (`Roles`), and the key
/// waits for the role (KMS refuses a key policy naming a principal that does not exist yet):
/// role, then key, then policy, without a cycle.
pub fn cloudformation(
    setup: &GeneratedSetup,
    role_name: &str,
    vendor: &str,
) -> Result<String, CliError> {
    let iam = refer_to_key(
        &setup.iam_policy,
        setup,
        "{ \"Fn::GetAtt\": [\"ByokKey\", \"Arn\"] }",
    );
    let pad = "        ";
    let template = format!(
        r#"{{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": {description},
  "Resources": {{
    "ByokRole": {{
      "Type": "AWS::IAM::Role",
      "Properties": {{
        "RoleName": {role},
        "Description": {role_description},
        "AssumeRolePolicyDocument": {trust}
      }}
    }},
    "ByokKey": {{
      "Type": "AWS::KMS::Key",
      "DependsOn": "ByokRole",
      "Properties": {{
        "Description": {key_description},
        "EnableKeyRotation": true,
        "KeyPolicy": {key}
      }}
    }},
    "ByokPolicy": {{
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {{
        "ManagedPolicyName": {policy_name},
        "Description": {policy_description},
        "Roles": [{{ "Ref": "ByokRole" }}],
        "PolicyDocument": {iam}
      }}
    }}
  }},
  "Outputs": {{
    "RoleArn": {{
      "Description": "The Role ARN to share with the vendor",
      "Value": {{ "Fn::GetAtt": ["ByokRole", "Arn"] }}
    }},
    "CmkArn": {{
      "Description": "The CMK ARN to share with the vendor",
      "Value": {{ "Fn::GetAtt": ["ByokKey", "Arn"] }}
    }}
  }}
}}
"#,
        description = json_string(&format!(
            "BYOK setup for {vendor}, written by byokcheck: the KMS key, the role the vendor assumes, and its key policy"
        ))?,
        role = json_string(role_name)?,
        role_description = json_string(&format!("Assumed by {vendor} to use the BYOK key"))?,
        trust = indent_tail(&setup.trust_policy, pad),
        key_description = json_string(&format!("BYOK key for {vendor}"))?,
        key = indent_tail(&setup.key_policy, pad),
        policy_name = json_string(&format!("{role_name}-kms-access"))?,
        policy_description = json_string("The four KMS actions the vendor needs on the BYOK key")?,
        iam = indent_tail(&iam, pad),
    );
    Ok(template)
}

/// A heredoc body: Terraform would read `${` and `%{` in the JSON as templates.
fn heredoc(json: &str) -> String {
    json.replace("${", "$${").replace("%{", "%%{")
}

/// A Terraform string literal.
fn hcl_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

/// One Terraform file. The key waits for the role (KMS refuses a key policy naming a principal
/// that does not exist yet); the policy refers to the created key.
pub fn terraform(
    setup: &GeneratedSetup,
    role_name: &str,
    region: &str,
    vendor: &str,
) -> Result<String, CliError> {
    let iam = refer_to_key(
        &heredoc(&setup.iam_policy),
        setup,
        "\"${aws_kms_key.byok.arn}\"",
    );
    let pad = "    ";
    Ok(format!(
        r#"# BYOK setup for {vendor}, written by byokcheck: the KMS key, the role the vendor
# assumes, and the IAM policy attached to it. Share the two outputs with the vendor.

terraform {{
  required_providers {{
    aws = {{
      source = "hashicorp/aws"
    }}
  }}
}}

provider "aws" {{
  region = {region}
}}

resource "aws_iam_role" "byok" {{
  name               = {role}
  description        = {role_description}
  assume_role_policy = <<-EOT
    {trust}
  EOT
}}

resource "aws_kms_key" "byok" {{
  description         = {key_description}
  enable_key_rotation = true
  policy              = <<-EOT
    {key}
  EOT

  depends_on = [aws_iam_role.byok]
}}

resource "aws_iam_policy" "byok" {{
  name        = {policy_name}
  description = "The four KMS actions the vendor needs on the BYOK key"
  policy      = <<-EOT
    {iam}
  EOT
}}

resource "aws_iam_role_policy_attachment" "byok" {{
  role       = aws_iam_role.byok.name
  policy_arn = aws_iam_policy.byok.arn
}}

output "role_arn" {{
  description = "The Role ARN to share with the vendor"
  value       = aws_iam_role.byok.arn
}}

output "cmk_arn" {{
  description = "The CMK ARN to share with the vendor"
  value       = aws_kms_key.byok.arn
}}
"#,
        region = hcl_string(region),
        role = hcl_string(role_name),
        role_description = hcl_string(&format!("Assumed by {vendor} to use the BYOK key")),
        trust = indent_tail(&heredoc(&setup.trust_policy), pad),
        key_description = hcl_string(&format!("BYOK key for {vendor}")),
        key = indent_tail(&heredoc(&setup.key_policy), pad),
        policy_name = hcl_string(&format!("{role_name}-kms-access")),
        iam = indent_tail(&iam, pad),
    ))
}

/// Writes every file, or none when one exists and `force` is off.
fn write_files(dir: &Path, outputs: &[Output], force: bool) -> Result<(), CliError> {
    let paths: Vec<PathBuf> = outputs.iter().map(|o| dir.join(o.name)).collect();
    if !force {
        if let Some(existing) = paths.iter().find(|p| p.exists()) {
            return Err(CliError::Usage(format!(
                "{} exists; pass --force to overwrite it, or choose another --out",
                existing.display()
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, "create the folder", e))?;
    for (path, output) in paths.iter().zip(outputs) {
        std::fs::write(path, &output.contents).map_err(|e| CliError::io(path, "write", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_strings_are_escaped() {
        assert_eq!(heredoc("${aws:username} %{x}"), "$${aws:username} %%{x}");
        assert_eq!(hcl_string("a\"b${c}"), "\"a\\\"b$${c}\"");
        let line = format!("v = {}", toml_string("x\"y'z\\"));
        let table: toml::Table = toml::from_str(&line).unwrap();
        assert_eq!(table["v"].as_str(), Some("x\"y'z\\"));
        assert_eq!(
            indent_tail("{\n  \"a\": 1\n}\n", "  "),
            "{\n    \"a\": 1\n  }"
        );
    }
}
