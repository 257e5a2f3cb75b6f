//! `byokcheck rule [CODE]`: the rule list, or one rule's documentation.

use std::io::Write;

use byokcheck_core::settings::closest_rule;

use super::check::output_error;
use crate::args::{RuleArgs, RuleFormat};
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::style::Style;

fn kinds(kinds: &[byokcheck_core::DocumentKind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(args: &RuleArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let style = Style::detect();
    let Some(code) = &args.code else {
        let rules = byokcheck_core::rules();
        match args.format {
            RuleFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &rules)
                    .map_err(|e| output_error(e.into()))?;
                writeln!(out).map_err(output_error)?;
            }
            RuleFormat::Text => {
                let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
                for rule in &rules {
                    let severity = rule.severity.as_str();
                    let pad = " ".repeat(16usize.saturating_sub(severity.len()));
                    writeln!(
                        out,
                        "{}  {:<name_width$}  {}{pad}  {}",
                        style.bold(rule.code),
                        rule.name,
                        style.severity(rule.severity, severity),
                        kinds(&rule.kinds)
                    )
                    .map_err(output_error)?;
                }
                writeln!(
                    out,
                    "\n{} rules; `byokcheck rule CODE` prints one rule's documentation",
                    rules.len()
                )
                .map_err(output_error)?;
            }
        }
        return Ok(ExitStatus::Success);
    };
    let doc = byokcheck_core::rule(code).map_err(|_| {
        let hint = closest_rule(code)
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_else(|| "; `byokcheck rule` lists every rule".into());
        CliError::Usage(format!("`{code}` names no rule{hint}"))
    })?;
    match args.format {
        RuleFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| output_error(e.into()))?;
            writeln!(out).map_err(output_error)?;
        }
        RuleFormat::Text => {
            writeln!(
                out,
                "{} {} [{}] (checked in: {})\n\n{}",
                style.bold(doc.code),
                style.bold(doc.name),
                style.severity(doc.severity, doc.severity.as_str()),
                kinds(&doc.kinds),
                doc.docs.trim_end()
            )
            .map_err(output_error)?;
        }
    }
    Ok(ExitStatus::Success)
}
