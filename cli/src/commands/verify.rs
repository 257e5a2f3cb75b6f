//! `byokcheck verify`: the whole setup, as the setup guide's verification table.

use std::io::Write;
use std::path::Path;

use byokcheck_core::{verify_setup, DocumentKind, SetupInput};

use super::check::output_error;
use crate::args::VerifyArgs;
use crate::config::{display_path, Config};
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::input::Input;
use crate::render::{self, Entry, ItemCounts, KindSource, Noun, Tally};
use crate::style::Style;

/// One of the three documents: where it comes from and what was read.
struct Document {
    name: &'static str,
    display: String,
    /// `--iam-policy` or `[setup] iam_policy in byokcheck.toml`.
    given_by: String,
    text: Result<String, String>,
}

pub fn run(args: &VerifyArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::io(Path::new("."), "read the working directory", e))?;
    let config = Config::load(&args.config, &cwd)?;
    let settings = config.settings(&args.selection)?;
    let context = config.context(&args.context);
    let fail_on = config.fail_on(args.output.fail_on);
    let style = Style::detect();
    let mut renderer = render::renderer(args.output.format, style, args.output.quiet, true);

    let sources = [
        (
            "iam_policy",
            &args.iam_policy,
            &config.setup.iam_policy,
            "--iam-policy",
        ),
        (
            "trust_policy",
            &args.trust_policy,
            &config.setup.trust_policy,
            "--trust-policy",
        ),
        (
            "key_policy",
            &args.key_policy,
            &config.setup.key_policy,
            "--key-policy",
        ),
    ];
    let mut documents = Vec::new();
    for (name, flag_path, config_path, flag) in sources {
        let (path, given_by) = match (flag_path, config_path) {
            (Some(path), _) => (cwd.join(path), format!("given with `{flag}`")),
            (None, Some(path)) => (
                path.clone(),
                format!("`[setup] {name}` in {}", config.source_name()),
            ),
            (None, None) => continue,
        };
        let display = display_path(&path, &cwd);
        let input = Input::File {
            path,
            display: display.clone(),
        };
        documents.push(Document {
            name,
            text: input.read(),
            display,
            given_by,
        });
    }
    if documents.is_empty() && context.role_arn().is_none() && context.cmk_arn().is_none() {
        return Err(CliError::Usage(
            "nothing to verify: give --iam-policy, --trust-policy or --key-policy (or a `[setup]` table in byokcheck.toml), or --role-arn and --cmk-arn".into(),
        ));
    }

    let text_of = |name: &str| {
        documents
            .iter()
            .find(|d| d.name == name)
            .and_then(|d| d.text.as_ref().ok())
            .cloned()
    };
    let input = SetupInput {
        context: context.clone(),
        iam_policy: text_of("iam_policy"),
        trust_policy: text_of("trust_policy"),
        key_policy: text_of("key_policy"),
        policy_attached: None,
    };
    let mut report = verify_setup(&input);
    settings.apply_setup(&mut report);

    let keep_source = renderer.wants_source();
    let mut tally = Tally::new(fail_on);
    tally.failed_items = !report.passed();
    let mut entries = Vec::new();
    for document in &documents {
        match &document.text {
            Err(error) => entries.push(Entry::unreadable(document.display.clone(), error.clone())),
            Ok(text) => {
                let findings = report
                    .documents
                    .iter()
                    .find(|d| d.name == document.name)
                    .map(|d| d.findings.clone())
                    .unwrap_or_default();
                let kind = report
                    .documents
                    .iter()
                    .find(|d| d.name == document.name)
                    .map_or(DocumentKind::Iam, |d| d.kind);
                entries.push(Entry {
                    path: document.display.clone(),
                    kind: Some(kind),
                    kind_source: Some(KindSource::Given(document.given_by.clone())),
                    source: (keep_source && !findings.is_empty()).then(|| text.clone()),
                    findings,
                    error: None,
                });
            }
        }
    }
    for (name, arn, flag) in [
        ("role_arn", context.role_arn(), "--role-arn"),
        ("cmk_arn", context.cmk_arn(), "--cmk-arn"),
    ] {
        let (Some(arn), Some(document)) = (arn, report.documents.iter().find(|d| d.name == name))
        else {
            continue;
        };
        let given_by = if args.context.role_arn.is_some() && name == "role_arn"
            || args.context.cmk_arn.is_some() && name == "cmk_arn"
        {
            format!("given with `{flag}`")
        } else {
            format!("`{name}` in {}", config.source_name())
        };
        entries.push(Entry {
            path: arn.to_string(),
            kind: Some(document.kind),
            kind_source: Some(KindSource::Given(given_by)),
            source: (keep_source && !document.findings.is_empty()).then(|| arn.to_string()),
            findings: document.findings.clone(),
            error: None,
        });
    }
    for entry in entries {
        tally.add(&entry);
        renderer.entry(out, entry).map_err(output_error)?;
    }
    // Name the instance unless an explicit service role differs from the instance's.
    let known = context
        .instance
        .as_deref()
        .and_then(byokcheck_core::context::instance);
    let target = match (known, context.vendor_role_arn()) {
        (Some(instance), Some(role)) if instance.service_role_arn == role => {
            format!("`{}`", instance.name)
        }
        (_, Some(role)) => format!("the service role `{role}`"),
        (Some(instance), None) => format!("`{}`", instance.name),
        (None, None) => "an unknown vendor instance".to_string(),
    };
    let title = format!("BYOK setup verification for {target}");
    renderer
        .items(out, &report.items, &title)
        .map_err(output_error)?;
    renderer
        .finish(
            out,
            &tally.summary(Noun::Document, Some(ItemCounts::of(&report.items))),
        )
        .map_err(output_error)?;
    Ok(tally.status())
}
