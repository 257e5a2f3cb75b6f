//! Byte spans and their 1-based line/column positions.
//!
//! Columns count Unicode scalar values (characters), not bytes, so that a position means the
//! same thing in a terminal, a browser editor and Python. IAM restricts policy text to
//! U+0009, U+000A, U+000D and U+0020..=U+00FF, where characters and UTF-16 code units agree.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the original text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of `offset` in `text` by one scan of the text before it, clamped and moved
    /// back to a character boundary as [`LineIndex::position`] does. Cheaper than an index for
    /// the one or two findings most documents have.
    pub fn of(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let head = text.as_bytes().get(..offset).unwrap_or_default();
        let line_start = head
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = 1 + head.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count());
        Self { line, column }
    }
}

/// Start offsets of every line, computed once per document.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte count (no characters to count:
    /// a one-line 200 KB document with thousands of findings stays linear).
    ascii_lines: Vec<bool>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text.as_bytes()));
        let ascii_lines = line_starts
            .iter()
            .zip(
                line_starts
                    .iter()
                    .skip(1)
                    .chain(std::iter::once(&text.len())),
            )
            .map(|(&start, &end)| {
                text.as_bytes()
                    .get(start..end)
                    .is_some_and(<[u8]>::is_ascii)
            })
            .collect();
        Self {
            line_starts,
            ascii_lines,
        }
    }

    /// The position of `offset`, clamped to the text and moved back to a character boundary.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let ascii = self
            .ascii_lines
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(false);
        let column = if ascii && offset >= line_start {
            offset - line_start
        } else {
            text.get(line_start..offset)
                .map_or(0, |s| s.chars().count())
        } + 1;
        Position { line, column }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_direct_position_is_the_indexed_one(text in "[a\né \r]{0,40}", offset in 0usize..48) {
            let index = LineIndex::new(&text);
            proptest::prop_assert_eq!(Position::of(&text, offset), index.position(&text, offset));
        }
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\ncé d\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 2), Position { line: 1, column: 3 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // "é" is two bytes: the "d" after it is at byte 7 but character column 4.
        assert_eq!(index.position(text, 7), Position { line: 2, column: 4 });
        // Inside a multi-byte character: moved back to its start.
        assert_eq!(index.position(text, 5), Position { line: 2, column: 2 });
        // Past the end: clamped.
        assert_eq!(index.position(text, 100), Position { line: 3, column: 1 });
    }
}
