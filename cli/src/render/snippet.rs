//! One finding as people read it: `path:line:column: CODE name [severity] message`, the
//! offending source lines with a caret span under the offending part, then the help line.

use std::fmt::Write as _;

use byokcheck_core::Finding;

use crate::style::Style;

/// Lines longer than this (minified policies are one line) are shown as a window around the span.
const MAX_WIDTH: usize = 100;
/// Characters kept before the span in a window.
const LEAD: usize = 30;
/// Spans over more lines than this (a whole statement) show their first line, `...` and their
/// last line.
const MAX_LINES: usize = 3;

/// The header line alone.
pub fn header(path: &str, finding: &Finding, style: Style) -> String {
    format!(
        "{}:{}:{}: {} {} [{}] {}",
        style.bold(path),
        finding.line,
        finding.column,
        style.bold(&finding.code),
        finding.name,
        style.severity(finding.severity, finding.severity.as_str()),
        finding.message
    )
}

/// The whole block: header, snippet (when the source is known) and help, each line ending in `\n`.
pub fn render(path: &str, source: Option<&str>, finding: &Finding, style: Style) -> String {
    let mut out = header(path, finding, style);
    out.push('\n');
    let shown = source
        .map(|text| shown_lines(text, finding))
        .unwrap_or_default();
    let width = shown
        .iter()
        .filter_map(|l| l.number)
        .max()
        .map_or(1, |n| n.to_string().len());
    let pad = " ".repeat(width);
    if !shown.is_empty() {
        let _ = writeln!(out, "{pad} {}", style.dim("|"));
        for line in &shown {
            match line.number {
                Some(number) => {
                    let _ = writeln!(
                        out,
                        "{} {} {}",
                        style.dim(&format!("{number:>width$}")),
                        style.dim("|"),
                        line.text.trim_end()
                    );
                    let _ = writeln!(
                        out,
                        "{pad} {} {}{}",
                        style.dim("|"),
                        " ".repeat(line.caret_start),
                        style.severity(finding.severity, &"^".repeat(line.caret_len))
                    );
                }
                None => {
                    let _ = writeln!(out, "{}", style.dim("..."));
                }
            }
        }
    }
    if let Some(help) = &finding.help {
        let _ = writeln!(
            out,
            "{pad} {} {}: {help}",
            style.dim("="),
            style.help("help")
        );
    }
    out
}

/// A source line as shown, with where its carets go (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    /// `None` for the `...` line between the start and end of a long span.
    number: Option<usize>,
    text: String,
    caret_start: usize,
    caret_len: usize,
}

fn shown_lines(text: &str, finding: &Finding) -> Vec<Shown> {
    let first = finding.line.max(1);
    let last = finding.end_line.max(first);
    // Start at the finding's own line, found back from its byte offset, rather than counting
    // lines from the top: a finding deep in a 100 KB policy would cost a scan of all of it.
    let from_line = text.get(..finding.span.start).map(|before| {
        let start = before.rfind('\n').map_or(0, |at| at + 1);
        // Counting bytes vectorises; it confirms the span is into this very text.
        let newlines = before.bytes().filter(|&b| b == b'\n').count();
        (start, newlines)
    });
    let (rest, skip, anchored) = match from_line {
        Some((start, newlines)) if newlines + 1 == first => (
            text.get(start..).unwrap_or(text),
            0,
            Some(finding.span.start - start),
        ),
        _ => (text, first - 1, None),
    };
    let lines: Vec<&str> = rest
        .split('\n')
        .skip(skip)
        .take(last - first + 1)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let count = lines.len();
    let mut shown = Vec::new();
    for (offset, line) in lines.iter().enumerate() {
        let number = first + offset;
        if count > MAX_LINES && offset >= 1 && offset + 1 < count {
            if offset == 1 {
                shown.push(Shown {
                    number: None,
                    text: String::new(),
                    caret_start: 0,
                    caret_len: 0,
                });
            }
            continue;
        }
        let (from, anchor) = if number == first {
            (finding.column.saturating_sub(1), anchored)
        } else {
            (
                line.chars().take_while(|c| *c == ' ' || *c == '\t').count(),
                None,
            )
        };
        let to = (number == last).then(|| finding.end_column.saturating_sub(1));
        shown.push(window(number, line, from, to, anchor));
    }
    shown
}

/// Tabs and control characters would shift the carets; the byte-order mark is invisible.
fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{feff}' => '\u{fffd}',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// The line, or a window of it around `[from, to)` (in characters; no `to` for the end of the
/// line), and the carets' place in what is shown. `anchor` is the byte offset of character
/// `from` when it is known.
///
/// Only the window is decoded: a minified policy is one line of up to 256 KiB, and decoding
/// all of it for each of its findings made the text output quadratic.
fn window(
    number: usize,
    line: &str,
    from: usize,
    to: Option<usize>,
    anchor: Option<usize>,
) -> Shown {
    if line.chars().nth(MAX_WIDTH).is_none() {
        let chars: Vec<char> = line.chars().map(printable).collect();
        let from = from.min(chars.len());
        let to = to.unwrap_or(chars.len()).max(from + 1);
        return Shown {
            number: Some(number),
            text: chars.iter().collect(),
            caret_start: from,
            caret_len: to - from,
        };
    }
    let start = from.saturating_sub(LEAD);
    let start_byte = anchor
        .and_then(|at| chars_back(line, at, from - start))
        .unwrap_or_else(|| {
            line.char_indices()
                .nth(start)
                .map_or(line.len(), |(i, _)| i)
        });
    let mut rest = line.get(start_byte..).unwrap_or_default().chars();
    let mut text = String::new();
    let mut caret_start = 0;
    if start > 0 {
        text.push('…');
        caret_start += 1;
    }
    let before = text.len();
    text.extend(rest.by_ref().take(MAX_WIDTH).map(printable));
    let end = start + text[before..].chars().count();
    if rest.next().is_some() {
        text.push('…');
    }
    let from = from.min(end);
    let to = to.unwrap_or(usize::MAX).max(from + 1);
    Shown {
        number: Some(number),
        text,
        caret_start: caret_start + from - start,
        caret_len: to.min(end.max(from + 1)) - from,
    }
}

/// The byte offset `count` characters before byte `at` of `line`, if there are that many.
fn chars_back(line: &str, at: usize, count: usize) -> Option<usize> {
    let before = line.get(..at)?;
    if count == 0 {
        return Some(at);
    }
    before.char_indices().rev().nth(count - 1).map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use byokcheck_core::{Severity, Span};

    fn finding(line: usize, column: usize, end_line: usize, end_column: usize) -> Finding {
        Finding {
            code: "J005".into(),
            name: "duplicate-key".into(),
            severity: Severity::Error,
            message: "the key `Version` appears twice".into(),
            pointer: "/Version".into(),
            span: Span::new(0, 0),
            line,
            column,
            end_line,
            end_column,
            help: Some("remove one of them".into()),
        }
    }

    #[test]
    fn a_one_line_span_gets_carets_under_it() {
        let text = "{\n  \"Version\": \"1\",\n  \"Version\": \"2\"\n}\n";
        let out = render("p.json", Some(text), &finding(3, 3, 3, 12), Style::plain());
        assert_eq!(
            out,
            "p.json:3:3: J005 duplicate-key [error] the key `Version` appears twice\n  |\n3 |   \"Version\": \"2\"\n  |   ^^^^^^^^^\n  = help: remove one of them\n"
        );
    }

    #[test]
    fn long_spans_are_elided_and_long_lines_windowed() {
        let text = "{\n\"a\": [\n1,\n2,\n3,\n4\n]}";
        let out = render("p.json", Some(text), &finding(2, 6, 7, 2), Style::plain());
        assert!(
            out.contains("2 | \"a\": [\n  |      ^\n...\n7 | ]}\n  | ^\n"),
            "{out}"
        );
        assert!(!out.contains("3 | 1,"), "{out}");

        let long = format!("{{\"Statement\": [{}\"x\"]}}", "\"a\", ".repeat(100));
        let column = long.find("\"x\"").unwrap() + 1;
        let out = render(
            "p.json",
            Some(&long),
            &finding(1, column, 1, column + 3),
            Style::plain(),
        );
        let shown = out.lines().nth(2).unwrap();
        assert!(shown.starts_with("1 | …"), "{shown}");
        assert!(shown.chars().count() < 120, "{shown}");
        let carets = out.lines().nth(3).unwrap();
        let caret_at = carets.find('^').unwrap();
        assert_eq!(
            &shown.chars().skip(caret_at).take(3).collect::<String>(),
            "\"x\""
        );
    }

    #[test]
    fn a_window_found_from_the_byte_offset_is_the_one_found_by_counting() {
        // Multi-byte characters make byte offsets and columns differ.
        let line = "é\tß→".repeat(60);
        for (column, (at, _)) in line.char_indices().enumerate() {
            for to in [None, Some(column + 1), Some(column + 200)] {
                assert_eq!(
                    window(1, &line, column, to, Some(at)),
                    window(1, &line, column, to, None),
                    "column {column}, to {to:?}"
                );
            }
        }
        let shown = window(
            1,
            &line,
            100,
            Some(102),
            Some(line.char_indices().nth(100).unwrap().0),
        );
        assert!(
            shown.text.starts_with('…') && shown.text.ends_with('…'),
            "{shown:?}"
        );
        assert_eq!(shown.text.chars().count(), MAX_WIDTH + 2);
        assert_eq!(shown.caret_start, 1 + LEAD);
        assert_eq!(shown.caret_len, 2);
        assert_eq!(
            shown
                .text
                .chars()
                .skip(shown.caret_start)
                .take(2)
                .collect::<String>(),
            line.chars()
                .skip(100)
                .take(2)
                .map(printable)
                .collect::<String>()
        );
    }

    #[test]
    fn empty_spans_get_one_caret_and_no_source_means_no_snippet() {
        let out = render("p.json", Some("{"), &finding(1, 2, 1, 2), Style::plain());
        assert!(out.contains("1 | {\n  |  ^\n"), "{out}");
        let out = render("-", None, &finding(1, 2, 1, 2), Style::plain());
        assert_eq!(out.lines().count(), 2, "{out}");
    }
}
