//! Scans that test eight bytes at a time in a `u64` (SWAR), the word-at-a-time trick of
//! serde_json's string scanner and of memchr's fallback. Most of a policy's bytes are inside
//! plain strings or indentation, and a byte loop spends a branch on each of them; `memchr`
//! itself would be one more dependency for four small loops.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The first eight bytes of `bytes` (all of them when fewer, zeros after) as a little-endian
/// word. Eight bytes are one load; copying a shorter run into a buffer compiles to a `memcpy`
/// call, which was most of the cost where every action and resource of a policy is read so.
pub(crate) fn word_le(bytes: &[u8]) -> u64 {
    match bytes.get(..8).map(<[u8; 8]>::try_from) {
        Some(Ok(eight)) => u64::from_le_bytes(eight),
        _ => bytes
            .iter()
            .rev()
            .fold(0, |word, &byte| word << 8 | u64::from(byte)),
    }
}

/// The high bit of each byte of `word` below `limit` (at most 0x80). A borrow can flag bytes
/// above a flagged one, never below, so the lowest flag is exact.
fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS
}

/// Length of the prefix of `bytes` free of `"`, `\` and control characters: where a plain
/// string's content ends.
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(word) = word_at(bytes, at) {
        let hits = bytes_below(word ^ (ONES * u64::from(b'"')), 1)
            | bytes_below(word ^ (ONES * u64::from(b'\\')), 1)
            | bytes_below(word, 0x20);
        if hits != 0 {
            return at + (hits.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    at + tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len())
}

/// [`plain_run`], and whether a `noted` byte occurs in the words it read (which may run a few
/// bytes past the run: a yes can be wrong, a no cannot).
pub(crate) fn plain_run_noting(bytes: &[u8], noted: u8) -> (usize, bool) {
    let mut at = 0;
    let mut seen = 0;
    while let Some(word) = word_at(bytes, at) {
        seen |= bytes_below(word ^ (ONES * u64::from(noted)), 1);
        let hits = bytes_below(word ^ (ONES * u64::from(b'"')), 1)
            | bytes_below(word ^ (ONES * u64::from(b'\\')), 1)
            | bytes_below(word, 0x20);
        if hits != 0 {
            return (at + (hits.trailing_zeros() / 8) as usize, seen != 0);
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    let end = tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len());
    let noted_in_tail = tail.get(..end).is_some_and(|run| run.contains(&noted));
    (at + end, seen != 0 || noted_in_tail)
}

/// Position of the first IAM wildcard (`*` or `?`) in `bytes`. Rules ask it of every action,
/// resource and principal value, most of which have none.
pub(crate) fn wildcard_position(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(word) = word_at(bytes, at) {
        let hits = bytes_below(word ^ (ONES * u64::from(b'*')), 1)
            | bytes_below(word ^ (ONES * u64::from(b'?')), 1);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    Some(at + tail.iter().position(|&b| b == b'*' || b == b'?')?)
}

/// The high bit of each byte of `word` equal to `byte`, exactly: the additions stay within
/// each byte's low seven bits, so no carry flags a neighbour (unlike [`bytes_below`], whose
/// borrow can, which is fine only where the first hit is all that is asked for).
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const LOWS: u64 = !HIGHS;
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOWS) + LOWS) | x | LOWS)
}

/// Positions of the first `N` colons of `bytes`, or `None` when it has fewer. Every ARN a
/// policy holds is split at its first five colons, often by several rules.
pub(crate) fn colon_positions<const N: usize>(bytes: &[u8]) -> Option<[usize; N]> {
    let mut found = [0usize; N];
    let mut count = 0;
    let mut at = 0;
    while count < N {
        let Some(word) = word_at(bytes, at) else {
            break;
        };
        let mut hits = bytes_equal(word, b':');
        while hits != 0 && count < N {
            if let Some(slot) = found.get_mut(count) {
                *slot = at + (hits.trailing_zeros() / 8) as usize;
            }
            count += 1;
            hits &= hits - 1;
        }
        at += 8;
    }
    while count < N {
        if *bytes.get(at)? == b':' {
            if let Some(slot) = found.get_mut(count) {
                *slot = at;
            }
            count += 1;
        }
        at += 1;
    }
    Some(found)
}

/// A set of bytes as a 256-entry table, for a test made on every byte of a hot path: one
/// load, where a chain of comparisons cost several instructions per byte. Built at compile
/// time by [`byte_set!`].
pub(crate) struct ByteSet(pub(crate) [bool; 256]);

impl ByteSet {
    pub(crate) fn contains(&self, byte: u8) -> bool {
        self.0.get(usize::from(byte)).copied().unwrap_or(false)
    }
}

/// The [`ByteSet`] of the bytes `b` for which the expression holds, evaluated at compile time:
/// `static NAME: ByteSet = byte_set!(|b| b.is_ascii_alphanumeric());`.
macro_rules! byte_set {
    (|$b:ident| $test:expr) => {
        $crate::bytescan::ByteSet({
            #[allow(
                clippy::indexing_slicing,
                reason = "evaluated at compile time, where an index out of bounds fails the build"
            )]
            const fn table() -> [bool; 256] {
                let mut table = [false; 256];
                let mut index = 0;
                while index < 256 {
                    let $b = index as u8;
                    table[index] = $test;
                    index += 1;
                }
                table
            }
            table()
        })
    };
}
pub(crate) use byte_set;

/// Length of the prefix of `bytes` that is spaces.
pub(crate) fn space_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(word) = word_at(bytes, at) {
        let others = word ^ (ONES * u64::from(b' '));
        if others != 0 {
            return at + (others.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    at + tail.iter().take_while(|&&b| b == b' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn word_scans_agree_with_byte_scans(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                8 => proptest::prelude::Just(b' '),
                4 => proptest::prelude::Just(b'a'),
                1 => proptest::prelude::Just(b'"'),
                1 => proptest::prelude::Just(b'\\'),
                1 => proptest::prelude::Just(b'$'),
                1 => proptest::prelude::Just(b'*'),
                1 => proptest::prelude::Just(b'?'),
                // A colon, and the byte one above it, which a borrow from a colon would flag.
                2 => proptest::prelude::Just(b':'),
                1 => proptest::prelude::Just(b';'),
                1 => 0u8..0x20,
                1 => 0x80u8..=0xff,
                1 => proptest::prelude::any::<u8>(),
            ],
            0..40,
        )) {
            let plain = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            proptest::prop_assert_eq!(plain_run(&bytes), plain.unwrap_or(bytes.len()));
            let mut first = [0u8; 8];
            for (slot, byte) in first.iter_mut().zip(&bytes) {
                *slot = *byte;
            }
            proptest::prop_assert_eq!(word_le(&bytes), u64::from_le_bytes(first));
            let wildcard = bytes.iter().position(|&b| b == b'*' || b == b'?');
            proptest::prop_assert_eq!(wildcard_position(&bytes), wildcard);
            let spaces = bytes.iter().take_while(|&&b| b == b' ').count();
            proptest::prop_assert_eq!(space_run(&bytes), spaces);
            let (run, noted) = plain_run_noting(&bytes, b'$');
            proptest::prop_assert_eq!(run, plain.unwrap_or(bytes.len()));
            // Never a wrong no: a `$` in the run is always noted.
            let in_run = bytes.get(..run).unwrap_or_default().contains(&b'$');
            proptest::prop_assert!(noted || !in_run);
            let colons: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b':')
                .map(|(at, _)| at)
                .take(5)
                .collect();
            let expected = <[usize; 5]>::try_from(colons.as_slice()).ok();
            proptest::prop_assert_eq!(colon_positions::<5>(&bytes), expected);
        }
    }
}
