//! `byokcheck arn`: ARNs as a person pastes them; each ARN is one entry, its text the path.

use std::io::{BufRead, Write};
use std::path::Path;

use byokcheck_core::{arn, check_arn, DocumentKind};

use super::check::output_error;
use crate::args::ArnArgs;
use crate::config::Config;
use crate::error::{describe_io, CliError};
use crate::exit::ExitStatus;
use crate::render::{self, Entry, KindSource, Noun, Tally};
use crate::style::Style;

/// Why `text` was taken for `kind`, in words.
fn reason(text: &str, kind: Option<DocumentKind>) -> String {
    let trimmed = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if kind.is_none() {
        return "neither a role ARN nor a key ARN, alias or key id".into();
    }
    if let Some(service) = trimmed
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(1))
    {
        return format!("its service is `{service}`");
    }
    if trimmed.starts_with("alias/") {
        "an alias name".into()
    } else {
        "a bare key id".into()
    }
}

/// The ARNs to check: the arguments, with `-` replaced by standard input's non-blank lines.
fn arns(args: &ArnArgs) -> Result<Vec<String>, CliError> {
    let mut arns = Vec::new();
    for arn in &args.arns {
        if arn == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.map_err(|e| {
                    CliError::Usage(format!("cannot read standard input: {}", describe_io(&e)))
                })?;
                if !line.trim().is_empty() {
                    arns.push(line);
                }
            }
        } else {
            arns.push(arn.clone());
        }
    }
    Ok(arns)
}

pub fn run(args: &ArnArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::io(Path::new("."), "read the working directory", e))?;
    let config = Config::load(&args.config, &cwd)?;
    let settings = config.settings(&args.selection)?;
    let fail_on = config.fail_on(args.output.fail_on);
    let mut renderer = render::renderer(
        args.output.format,
        Style::detect(),
        args.output.quiet,
        false,
    );
    let keep_source = renderer.wants_source();
    let mut tally = Tally::new(fail_on);
    let forced = args.as_kind.map(|k| k.document_kind());
    for text in arns(args)? {
        let mut report = check_arn(&text, forced);
        settings.apply(&mut report);
        let kind_source = match args.as_kind {
            Some(kind) => KindSource::Flag(format!(
                "--as {}",
                match kind {
                    crate::args::ArnKind::Role => "role",
                    crate::args::ArnKind::Cmk => "cmk",
                }
            )),
            None => match arn::detect(&text) {
                Some(kind) => KindSource::Detected(reason(&text, Some(kind))),
                None => KindSource::Given(reason(&text, None)),
            },
        };
        let keep = keep_source && !report.findings.is_empty();
        let entry = Entry {
            path: text.clone(),
            kind: Some(report.kind),
            kind_source: Some(kind_source),
            findings: report.findings,
            source: keep.then_some(text),
            error: None,
        };
        tally.add(&entry);
        renderer.entry(out, entry).map_err(output_error)?;
    }
    renderer
        .finish(out, &tally.summary(Noun::Arn, None))
        .map_err(output_error)?;
    Ok(tally.status())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_what_was_recognised() {
        let role = "arn:aws:iam::111122223333:role/BYOK_Role";
        assert_eq!(
            reason(role, Some(DocumentKind::RoleArn)),
            "its service is `iam`"
        );
        assert_eq!(
            reason("alias/byok", Some(DocumentKind::KeyArn)),
            "an alias name"
        );
        assert_eq!(
            reason(
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                Some(DocumentKind::KeyArn)
            ),
            "a bare key id"
        );
        assert!(reason("hello", None).starts_with("neither"));
    }
}
