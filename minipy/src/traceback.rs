//! An uncaught exception's report, laid out as CPython 3.11 prints it: a `File` line per
//! frame, the frame's source line, and carets under the part of it that was running —
//! `~` and `^` apart where CPython separates an operator or a subscript from its operands.

use crate::bytecode::{Anchor, Pos};
use crate::error::{ExcKind, Exception};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// One frame of a traceback: its function's name and where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TbFrame {
    pub name: String,
    pub pos: Pos,
}

/// An uncaught exception and where it happened (outermost frame first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Traceback {
    pub frames: Vec<TbFrame>,
    pub exc: Exception,
}

/// CPython's frames shown before a run of identical ones is summarized.
pub(crate) const RECURSIVE_CUTOFF: usize = 3;

impl Traceback {
    /// What the process reports at its end: the stderr text and the exit status. A
    /// `sys.exit` prints only its message (if it has one) and ends with its status;
    /// anything else is the traceback, status 1. `source`: the program's text, for the
    /// source lines (empty: none are shown, as CPython without the file).
    pub fn report(&self, filename: &str, source: &str) -> (String, i32) {
        match self.exc.kind {
            ExcKind::SystemExit(code) => {
                let mut text = self.exc.msg.clone();
                if !text.is_empty() {
                    text.push('\n');
                }
                (text, i32::from(code))
            }
            _ => (self.render(filename, source), 1),
        }
    }

    /// CPython's layout: "Traceback (most recent call last):", each frame, then
    /// "Kind: message".
    pub fn render(&self, filename: &str, source: &str) -> String {
        let lines: Vec<&str> = if source.is_empty() {
            Vec::new()
        } else {
            source.split('\n').collect()
        };
        let mut s = String::from("Traceback (most recent call last):\n");
        // Runs of frames on one line of one function (deep recursion) are summarized after
        // three, as in CPython.
        let mut i = 0;
        while i < self.frames.len() {
            let f = &self.frames[i];
            let same = |g: &TbFrame| g.name == f.name && g.pos.line == f.pos.line;
            let run = self.frames[i..].iter().take_while(|g| same(g)).count();
            for g in &self.frames[i..i + run.min(RECURSIVE_CUTOFF)] {
                write_frame(&mut s, filename, &lines, &g.name, &g.pos);
            }
            if run > RECURSIVE_CUTOFF {
                let more = run - RECURSIVE_CUTOFF;
                let plural = if more > 1 { "s" } else { "" };
                let _ = writeln!(s, "  [Previous line repeated {more} more time{plural}]");
            }
            i += run;
        }
        let _ = writeln!(s, "{}", self.exc.line());
        s
    }
}

/// One frame as CPython prints it: `File "…", line N, in name`, then the source line (from
/// `lines`, the program's text split at line breaks; none if it has no such line) and its
/// carets.
pub fn write_frame(s: &mut String, filename: &str, lines: &[&str], name: &str, pos: &Pos) {
    let _ = writeln!(s, "  File \"{filename}\", line {}, in {name}", pos.line);
    if let Some(text) = lines.get((pos.line as usize).wrapping_sub(1)) {
        source_line(s, text.strip_suffix('\r').unwrap_or(text), pos);
    }
}

/// CPython's whitespace in a source line (`IS_WHITESPACE`).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0c')
}

/// The characters in `text`'s first `byte` bytes (CPython's byte-to-character offset).
fn chars_before(text: &str, byte: usize) -> usize {
    let b = &text.as_bytes()[..byte.min(text.len())];
    String::from_utf8_lossy(b).chars().count()
}

/// The source line `text` of a frame at `pos`, without its indentation, and CPython's
/// carets under `pos` unless they would underline the whole line.
fn source_line(s: &mut String, text: &str, pos: &Pos) {
    let indent = text.bytes().take_while(|&b| is_space(b)).count();
    let _ = writeln!(s, "    {}", &text[indent..]);
    let Some((col, end_col)) = pos.cols else {
        return;
    };
    let len = text.chars().count();
    let start = chars_before(text, col as usize);
    let mut end = chars_before(text, end_col as usize);
    let mut anchors = None;
    if pos.line == pos.end_line {
        anchors = anchors_in(text, col as usize, end_col as usize, pos.anchor);
    } else {
        // Over several lines: to the last non-blank character of the first (counted as
        // CPython counts it, bytes from the character length).
        let b = text.as_bytes();
        end = (0..len.min(b.len()))
            .rev()
            .find(|&i| !is_space(b[i]))
            .map_or(0, |i| i + 1);
    }
    // The leading whitespace is ASCII: bytes and characters agree.
    if end.saturating_sub(start) == len - indent && anchors.is_none() {
        return;
    }
    s.push_str("    ");
    for _ in indent..start {
        s.push(' ');
    }
    for at in start..end {
        s.push(match anchors {
            Some((l, r)) if l <= at && at < r => '^',
            Some(_) => '~',
            None => '^',
        });
    }
    s.push('\n');
}

/// Where CPython 3.11.7 puts the `^` inside a span of `text` (bytes `col..end_col`): the
/// operator of a binary operation (past any closing parentheses of its left operand), or a
/// subscript's brackets — as character offsets in the line.
fn anchors_in(text: &str, col: usize, end_col: usize, anchor: Anchor) -> Option<(usize, usize)> {
    let seg = text.get(col..end_col.min(text.len()))?;
    let b = seg.as_bytes();
    let (l, r) = match anchor {
        Anchor::None => return None,
        Anchor::BinOp {
            left_end,
            right_start,
        } => {
            let (from, to) = (left_end as usize - col, right_start as usize - col);
            let mut found = None;
            let mut i = from;
            while i < to.min(b.len()) {
                if is_space(b[i]) {
                    i += 1;
                    continue;
                }
                let two = i + 1 < to && !is_space(b[i + 1]);
                found = Some((i, i + 1 + usize::from(two)));
                if i + 1 < to && b[i] == b')' {
                    i += 1;
                    continue;
                }
                break;
            }
            found?
        }
        Anchor::Subscript {
            value_end,
            index_end,
        } => {
            let mut l = value_end as usize - col;
            while l < b.len() && b[l] != b'[' {
                l += 1;
            }
            let mut r = index_end as usize - col + 1;
            while r < b.len() && b[r] != b']' {
                r += 1;
            }
            if r < b.len() {
                r += 1;
            }
            (l, r)
        }
    };
    let base = chars_before(text, col);
    Some((base + chars_before(seg, l), base + chars_before(seg, r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(line: u32, cols: (u32, u32), anchor: Anchor) -> String {
        let mut s = String::new();
        let text = "    return (a + 1) // b";
        let pos = Pos {
            line,
            end_line: line,
            cols: Some(cols),
            anchor,
        };
        source_line(&mut s, text, &pos);
        s
    }

    #[test]
    fn an_operator_past_a_parenthesized_operand_gets_the_carets() {
        let anchor = Anchor::BinOp {
            left_end: 17,
            right_start: 22,
        };
        assert_eq!(
            frame(1, (11, 23), anchor),
            "    return (a + 1) // b\n           ~~~~~~~~^^~~\n"
        );
    }

    #[test]
    fn a_span_over_the_whole_line_has_no_carets() {
        assert_eq!(frame(1, (4, 23), Anchor::None), "    return (a + 1) // b\n");
    }
}
