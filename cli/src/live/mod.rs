//! `byokcheck live`: the vendor console's "Test Configuration", run by the customer or the
//! vendor's operators against the real account. It reads (the role, its policies, the key and
//! its policy), verifies what is deployed with the static checks, and with `--assume` does what
//! the vendor does: assume the role with the External ID and round-trip data through the key.
//! It never changes the account, and never prints credentials, data keys or the full External ID.

mod aws;
mod explain;
mod mask;
mod render;
mod sdk;
mod steps;
#[cfg(test)]
mod steps_tests;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use byokcheck_core::arn::{parse_key_arn, parse_role_arn};

use crate::args::LiveArgs;
use crate::config::Config;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::style::Style;

pub fn run(args: &LiveArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::io(Path::new("."), "read the working directory", e))?;
    let config = Config::load(&args.config, &cwd)?;
    let settings = config.settings(&args.selection)?;
    let context = config.context(&args.context);

    let required = |value: Option<&str>, flag: &str| {
        value.map(str::to_string).ok_or_else(|| {
            CliError::Usage(format!(
                "`live` needs {flag} (or its key in byokcheck.toml)"
            ))
        })
    };
    let role_arn_text = required(context.role_arn(), "--role-arn")?;
    let key_arn_text = required(context.cmk_arn(), "--cmk-arn")?;
    let external_id = required(context.external_id(), "--external-id")?;
    let role = parse_role_arn(&role_arn_text)
        .map_err(|e| CliError::Usage(format!("--role-arn `{role_arn_text}`: {}", e.message())))?;
    let key = parse_key_arn(&key_arn_text)
        .map_err(|e| CliError::Usage(format!("--cmk-arn `{key_arn_text}`: {}", e.message())))?;
    if args.timeout == 0 {
        return Err(CliError::Usage(
            "--timeout must be at least 1 second".into(),
        ));
    }

    let timeout = Duration::from_secs(args.timeout);
    let endpoint = args
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("the AWS endpoints of {} ({})", key.region, key.partition));
    let options = sdk::Options {
        region: key.region.clone(),
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
        timeout,
    };
    let plan = steps::Plan {
        role_arn_text,
        key_arn_text,
        external_id,
        context,
        settings,
        assume: args.assume,
        wait: Duration::from_secs(args.wait),
        first_backoff: Duration::from_secs(1),
        endpoint,
        timeout_secs: args.timeout,
        wrong_external_id: format!("byokcheck-wrong-{}", hex(&random::<8>()?)),
        test_value: aws::Secret(random::<32>()?.to_vec()),
        role,
        key,
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Unavailable(format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(async {
        let aws = sdk::SdkAws::connect(&options)
            .await
            .map_err(CliError::Unavailable)?;
        let mut notes = |note: &str| eprintln!("note: {note}");
        Ok::<_, CliError>(steps::run(&aws, &plan, &mut notes).await)
    })?;

    let style = Style::detect();
    render::write(out, args.format, style, &plan, outcome)
        .map_err(crate::commands::check::output_error)
}

/// `N` bytes from the operating system's random source.
fn random<const N: usize>() -> Result<[u8; N], CliError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| CliError::Unavailable(format!("no random source: {e}")))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
