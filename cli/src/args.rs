//! The command line, as clap derives it.

use std::path::PathBuf;

use byokcheck_core::{DocumentKind, Severity};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Deserialize;

use crate::render::OutputFormat;

const EXAMPLES: &str = "\
Examples:
  Check policy files and folders (the kind of each file is detected, or set with --kind):
    byokcheck check policies/
    byokcheck check --kind trust --external-id kore-7f3a9c2e-byok trust-policy.json
    aws iam get-role --role-name BYOK_Role --query Role.AssumeRolePolicyDocument | byokcheck check -

  Verify a whole setup against what the vendor needs (the guide's verification table):
    byokcheck verify --iam-policy iam-policy.json --trust-policy trust-policy.json \\
        --key-policy key-policy.json --external-id kore-7f3a9c2e-byok \\
        --role-arn arn:aws:iam::111122223333:role/BYOK_Role \\
        --cmk-arn arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
    byokcheck verify --config byokcheck.toml

  Run on every commit with pre-commit (.pre-commit-config.yaml):
    repos:
      - repo: https://example.invalid/byokcheck
        rev: v0.1.0
        hooks:
          - id: byokcheck
            files: ^policies/

Settings come from byokcheck.toml (or [tool.byokcheck] in pyproject.toml), found upward from
the working directory; flags win. Exit status: 0 clean, 1 findings at or above --fail-on,
2 usage error or unreadable input.";

/// Static checks for AWS KMS Bring-Your-Own-Key setups: IAM policies, trust policies, KMS key
/// policies and ARNs.
#[derive(Debug, Parser)]
#[command(
    name = "byokcheck",
    version,
    after_help = EXAMPLES,
    arg_required_else_help = true,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint policy files and folders (`*.json`; `-` reads standard input)
    Check(CheckArgs),
    /// Verify a whole setup: the setup guide's verification table, with the findings under each item
    Verify(VerifyArgs),
    /// Validate role and key ARNs as a person pastes them
    Arn(ArnArgs),
    /// Write the documents a setup needs (JSON files, a CloudFormation template or Terraform)
    Generate(GenerateArgs),
    /// List every rule, or print one rule's documentation
    Rule(RuleArgs),
    /// Test a deployed setup against AWS, read-only (with --assume, as the vendor would)
    ///
    /// Reads the role, its policies, the key and its policy, and verifies them as `verify`
    /// does; with --assume, assumes the role with the External ID, round-trips data through
    /// the key, and checks that the role cannot be assumed without the External ID. It never
    /// changes the account.
    #[cfg(feature = "live")]
    Live(LiveArgs),
}

/// The three policy kinds a file can be checked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// An IAM identity policy (attached to the BYOK role)
    Iam,
    /// A role trust policy
    Trust,
    /// A KMS key policy
    Key,
}

impl PolicyKind {
    pub fn document_kind(self) -> DocumentKind {
        match self {
            PolicyKind::Iam => DocumentKind::Iam,
            PolicyKind::Trust => DocumentKind::Trust,
            PolicyKind::Key => DocumentKind::Key,
        }
    }
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailOn {
    Error,
    #[value(name = "security_warning", alias = "security-warning")]
    #[serde(alias = "security-warning")]
    SecurityWarning,
    Warning,
    Suggestion,
    /// Report, but always exit 0 for findings
    Never,
}

impl FailOn {
    pub const DEFAULT: FailOn = FailOn::SecurityWarning;

    /// True when a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        let threshold = match self {
            FailOn::Error => Severity::Error,
            FailOn::SecurityWarning => Severity::SecurityWarning,
            FailOn::Warning => Severity::Warning,
            FailOn::Suggestion => Severity::Suggestion,
            FailOn::Never => return false,
        };
        severity <= threshold
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::SecurityWarning => "security_warning",
            FailOn::Warning => "warning",
            FailOn::Suggestion => "suggestion",
            FailOn::Never => "never",
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Context (what the documents are checked against)")]
pub struct ContextArgs {
    /// The customer's BYOK role ARN
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// The customer's KMS key ARN
    #[arg(long, value_name = "ARN")]
    pub cmk_arn: Option<String>,
    /// The External ID the vendor's console shows
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The vendor instance [default: platform.kore.ai]
    #[arg(long, value_name = "NAME")]
    pub instance: Option<String>,
    /// The vendor's service role ARN (overrides the instance's)
    #[arg(long, value_name = "ARN")]
    pub service_role_arn: Option<String>,
}

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Configuration")]
pub struct ConfigArgs {
    /// Read settings from this file (byokcheck.toml, or a pyproject.toml with [tool.byokcheck])
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Rule selection")]
pub struct SelectionArgs {
    /// Rules to report, by code, name or code prefix (replaces the config's `select`)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules not to report, by code, name or code prefix (added to the config's `ignore`)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Exit with status 1 when a finding is at or above this severity [default: security_warning]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Only print findings and errors: no per-file detection lines for clean files
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files and folders to check; folders are searched for `*.json`; `-` reads standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Check every file as this kind instead of detecting it
    #[arg(long, value_enum)]
    pub kind: Option<PolicyKind>,
    /// The name to show (and match config globs against) for standard input
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The IAM policy attached to the role (step 1) [config: setup.iam_policy]
    #[arg(long, value_name = "PATH")]
    pub iam_policy: Option<PathBuf>,
    /// The role's trust policy (step 2) [config: setup.trust_policy]
    #[arg(long, value_name = "PATH")]
    pub trust_policy: Option<PathBuf>,
    /// The key's policy (steps 3-4) [config: setup.key_policy]
    #[arg(long, value_name = "PATH")]
    pub key_policy: Option<PathBuf>,
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--as` for `arn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArnKind {
    /// An IAM role ARN
    Role,
    /// A KMS key ARN
    Cmk,
}

impl ArnKind {
    pub fn document_kind(self) -> DocumentKind {
        match self {
            ArnKind::Role => DocumentKind::RoleArn,
            ArnKind::Cmk => DocumentKind::KeyArn,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ArnArgs {
    /// ARNs to check; `-` reads them from standard input, one a line
    #[arg(value_name = "ARN", required = true)]
    pub arns: Vec<String>,
    /// Check every ARN as this kind instead of detecting it
    #[arg(long = "as", value_enum, value_name = "KIND")]
    pub as_kind: Option<ArnKind>,
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateFormat {
    /// One JSON file per document, and a byokcheck.toml to verify them with
    Json,
    /// One CloudFormation template creating the policy, the role and the key
    Cloudformation,
    /// One Terraform file creating the policy, the role and the key
    Terraform,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// The customer's 12-digit AWS account id
    #[arg(long, value_name = "ID")]
    pub account_id: String,
    /// The key's region, for example `us-east-1`
    #[arg(long)]
    pub region: String,
    /// The existing key's id (a UUID or `mrk-...`); required for `--format json`, where the key
    /// exists already; CloudFormation and Terraform create the key
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
    /// The BYOK role's name
    #[arg(long, value_name = "NAME")]
    pub role_name: String,
    /// The External ID the vendor's console shows
    #[arg(long, value_name = "ID")]
    pub external_id: String,
    /// The vendor instance [default: platform.kore.ai]
    #[arg(long, value_name = "NAME")]
    pub instance: Option<String>,
    /// The vendor's service role ARN (overrides the instance's)
    #[arg(long, value_name = "ARN")]
    pub service_role_arn: Option<String>,
    /// What to write
    #[arg(long, value_enum, default_value_t = GenerateFormat::Json)]
    pub format: GenerateFormat,
    /// The folder to write into (created if missing); `-` prints to standard output
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// Overwrite files that exist
    #[arg(long)]
    pub force: bool,
}

/// `--format` for `live`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LiveFormat {
    /// The steps as a table, then the deployed policies' verification
    #[default]
    Text,
    /// The versioned JSON contract, with `"steps"`
    Json,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = LIVE_EXAMPLES)]
pub struct LiveArgs {
    /// Also assume the role with the External ID, as the vendor does, and round-trip data
    /// through the key; needs credentials that may assume the role
    #[arg(long)]
    pub assume: bool,
    /// Retry AccessDenied for up to this many seconds: IAM changes take 30 to 120 s to
    /// propagate
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
    /// Give up on a call after this many seconds, retries included
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
    /// The AWS profile to use (else the usual chain: environment, AWS_PROFILE, SSO, instance
    /// role)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Send every call to this endpoint (a private endpoint, or a test server)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = LiveFormat::Text)]
    pub format: LiveFormat,
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

const LIVE_EXAMPLES: &str = "\
Examples:
  As the customer, before sharing the ARNs (reads the role, its policies and the key):
    byokcheck live --role-arn arn:aws:iam::111122223333:role/BYOK_Role \\
        --cmk-arn arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab \\
        --external-id kore-7f3a9c2e-byok

  As the vendor's operator, with credentials that may assume the role, right after a change:
    byokcheck live --config byokcheck.toml --assume --wait 120 --format json

Exit status: 0 every step passed (or was not asked for), 1 a step failed, 2 the test could not
run (no credentials, endpoint unreachable or too slow, bad usage).";

/// `--format` for `rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// A rule code (`J005`) or name (`duplicate-key`); without it, every rule is listed
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    pub format: RuleFormat,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn fail_on_compares_severities() {
        assert!(FailOn::SecurityWarning.fails(Severity::Error));
        assert!(FailOn::SecurityWarning.fails(Severity::SecurityWarning));
        assert!(!FailOn::SecurityWarning.fails(Severity::Warning));
        assert!(FailOn::Suggestion.fails(Severity::Suggestion));
        assert!(!FailOn::Never.fails(Severity::Error));
    }
}
