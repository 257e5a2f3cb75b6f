//! `byokcheck check`: lint files, folders and standard input.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use byokcheck_core::settings::selector_matches;
use byokcheck_core::{check, check_detecting, Context, Settings};

use crate::args::CheckArgs;
use crate::config::Config;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::input::{self, Input};
use crate::render::{self, Entry, KindSource, Noun, Tally};
use crate::style::Style;

/// Everything a worker needs to check one input.
struct Job<'a> {
    args: &'a CheckArgs,
    config: &'a Config,
    settings: &'a Settings,
    context: &'a Context,
    keep_source: bool,
}

impl Job<'_> {
    fn run(&self, input: &Input) -> Entry {
        let path = input.display().to_string();
        let text = match input.read() {
            Ok(text) => text,
            Err(error) => return Entry::unreadable(path, error),
        };
        let glob_path = input.glob_path();
        let (kind, kind_source, mut report) = if let Some(kind) = self.args.kind {
            let name = format!("--kind {}", kind_name(kind.document_kind()));
            let report = check(&text, kind.document_kind(), self.context);
            (kind.document_kind(), KindSource::Flag(name), report)
        } else if let Some((kind, glob)) = self.config.kind_for(&glob_path) {
            let source = KindSource::Glob(glob.to_string(), self.config.source_name());
            (kind, source, check(&text, kind, self.context))
        } else {
            // Detection and the checks share one parse of the text.
            let (detection, report) = check_detecting(&text, self.context);
            (
                detection.kind,
                KindSource::Detected(detection.reason),
                report,
            )
        };
        self.settings.apply(&mut report);
        let ignored = self.config.ignored_for(&glob_path);
        if !ignored.is_empty() {
            report.findings.retain(|f| {
                !ignored
                    .iter()
                    .any(|s| selector_matches(s, &f.code, &f.name))
            });
        }
        let keep = self.keep_source && !report.findings.is_empty();
        Entry {
            path,
            kind: Some(kind),
            kind_source: Some(kind_source),
            findings: report.findings,
            source: keep.then_some(text),
            error: None,
        }
    }
}

fn kind_name(kind: byokcheck_core::DocumentKind) -> &'static str {
    kind.as_str()
}

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::io(Path::new("."), "read the working directory", e))?;
    let config = Config::load(&args.config, &cwd)?;
    let settings = config.settings(&args.selection)?;
    let context = config.context(&args.context);
    let fail_on = config.fail_on(args.output.fail_on);
    let mut renderer = render::renderer(
        args.output.format,
        Style::detect(),
        args.output.quiet,
        false,
    );

    let mut inputs: Vec<Input> = Vec::new();
    let mut read_stdin = false;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            if !read_stdin {
                inputs.push(input::stdin(args.stdin_filename.as_deref()));
                read_stdin = true;
            }
        } else {
            input::collect(path, &config, &mut inputs);
        }
    }
    // Deterministic output whatever order the folders list in and the workers finish in.
    inputs.sort_by(|a, b| a.display().cmp(b.display()));
    inputs.dedup_by(|a, b| a.display() == b.display());
    if inputs.is_empty() {
        let names: Vec<String> = args.paths.iter().map(|p| input::display(p)).collect();
        eprintln!("warning: no `*.json` files found in {}", names.join(", "));
    }

    let job = Job {
        args,
        config: &config,
        settings: &settings,
        context: &context,
        keep_source: renderer.wants_source(),
    };
    let mut tally = Tally::new(fail_on);
    // A person watching a terminal sees each file's findings as soon as they are ready; a pipe
    // or file gets full buffers (a flush per file cost two system calls per file).
    let flush_each = io::stdout().is_terminal();
    let mut written: io::Result<()> = Ok(());
    in_order(
        &inputs,
        |input| job.run(input),
        |entry| {
            if written.is_err() {
                return;
            }
            tally.add(&entry);
            written = renderer.entry(out, entry);
            if flush_each && written.is_ok() {
                written = out.flush();
            }
        },
    );
    written.map_err(output_error)?;
    renderer
        .finish(out, &tally.summary(Noun::File, None))
        .map_err(output_error)?;
    Ok(tally.status())
}

pub fn output_error(error: io::Error) -> CliError {
    CliError::io(Path::new("standard output"), "write to", error)
}

/// Runs `work` on every input on all cores and hands the results to `emit` in input order,
/// each as soon as those before it are done.
pub fn in_order<I, R, W, E>(inputs: &[I], work: W, mut emit: E)
where
    I: Sync,
    R: Send,
    W: Fn(&I) -> R + Sync,
    E: FnMut(R),
{
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(inputs.len());
    if workers <= 1 {
        for input in inputs {
            emit(work(input));
        }
        return;
    }
    // Workers take a few inputs at a time and send their results together: one channel
    // message per input cost more than checking a small policy.
    const BATCH: usize = 8;
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, Vec<R>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next = &next;
            let work = &work;
            scope.spawn(move || loop {
                let start = next.fetch_add(BATCH, Ordering::Relaxed);
                let Some(batch) = inputs.get(start..(start + BATCH).min(inputs.len())) else {
                    break;
                };
                if batch.is_empty()
                    || sender
                        .send((start, batch.iter().map(work).collect()))
                        .is_err()
                {
                    break;
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, Vec<R>> = BTreeMap::new();
        let mut wanted = 0;
        for (start, results) in receiver {
            waiting.insert(start, results);
            while let Some(results) = waiting.remove(&wanted) {
                wanted += results.len().max(1);
                results.into_iter().for_each(&mut emit);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_out_in_input_order() {
        let inputs: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        in_order(
            &inputs,
            |n| {
                // Uneven work, so that workers finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                n * 2
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, inputs.iter().map(|n| n * 2).collect::<Vec<_>>());
    }
}
