//! Tokens with positions, Python's way: INDENT/DEDENT from leading whitespace, NEWLINE at
//! the end of logical lines, implicit line joining inside brackets.

use crate::error::SyntaxError;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(String),
    /// An integer literal; `None` when it does not fit in 64 bits.
    Int(Option<i64>),
    Str(String),
    /// Operators and delimiters, e.g. "+", "//=", "(", ":".
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
    pub col: u32,
}

const OPS: [&str; 44] = [
    "**=", "//=", ">>=", "<<=", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=",
    "*=", "%=", "&=", "|=", "^=", "/=", ":=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<",
    ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
];

pub fn tokenize(src: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        out: Vec::new(),
        indents: vec![0],
        depth: 0,
        i: 0,
        line: 1,
        line_start: 0,
        at_line_start: true,
    };
    while lx.i <= lx.b.len() {
        if lx.at_line_start && lx.depth == 0 {
            match lx.indentation()? {
                Line::End => break,
                Line::Blank => continue,
                Line::Code => {}
            }
        }
        if lx.i >= lx.b.len() {
            break;
        }
        lx.token()?;
    }
    Ok(lx.finish())
}

/// What the start of a physical line holds.
enum Line {
    /// Nothing: the source has ended.
    End,
    /// Only whitespace or a comment (skipped).
    Blank,
    /// Code, after its indentation.
    Code,
}

/// The tokenizer's state: where it is in the source, and the open indentation levels and
/// brackets.
struct Lexer<'s> {
    src: &'s str,
    b: &'s [u8],
    out: Vec<Token>,
    indents: Vec<u32>,
    /// Bracket nesting: newlines inside are not logical line ends.
    depth: usize,
    i: usize,
    line: u32,
    line_start: usize,
    at_line_start: bool,
}

impl Lexer<'_> {
    fn err(&self, line: u32, col: usize, msg: String) -> SyntaxError {
        SyntaxError {
            line,
            col: col as u32 + 1,
            msg,
            indentation: false,
        }
    }

    /// Pushes `tok` at `col` (0-based) of the current line.
    fn push(&mut self, tok: Tok, col: usize) {
        self.out.push(Token {
            tok,
            line: self.line,
            col: col as u32 + 1,
        });
    }

    /// At the start of a logical line: measures its indentation (INDENT/DEDENT tokens),
    /// skipping blank and comment-only lines entirely.
    fn indentation(&mut self) -> Result<Line, SyntaxError> {
        let b = self.b;
        let mut col = 0u32;
        let mut j = self.i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\x0c') {
            col = if b[j] == b'\t' {
                (col / 8 + 1) * 8
            } else {
                col + 1
            };
            j += 1;
        }
        if j >= b.len() {
            return Ok(Line::End);
        }
        if b[j] == b'\n' || b[j] == b'#' || b[j] == b'\r' {
            while j < b.len() && b[j] != b'\n' {
                j += 1;
            }
            self.i = j + 1;
            self.line += 1;
            self.line_start = self.i;
            return Ok(Line::Blank);
        }
        let cur = *self.indents.last().unwrap();
        if col > cur {
            self.indents.push(col);
            self.push(Tok::Indent, 0);
        } else {
            while col < *self.indents.last().unwrap() {
                self.indents.pop();
                self.push(Tok::Dedent, col as usize);
            }
            if col != *self.indents.last().unwrap() {
                let mut e = self.err(
                    self.line,
                    j - self.line_start,
                    "unindent does not match any outer indentation level".into(),
                );
                e.indentation = true;
                return Err(e);
            }
        }
        self.i = j;
        self.at_line_start = false;
        Ok(Line::Code)
    }

    /// The token (or whitespace, comment, line break) at `i`.
    fn token(&mut self) -> Result<(), SyntaxError> {
        let (b, i) = (self.b, self.i);
        let c = b[i];
        let col = i - self.line_start;
        match c {
            b'\n' => {
                if self.depth == 0 {
                    self.push(Tok::Newline, col);
                    self.at_line_start = true;
                }
                self.i += 1;
                self.line += 1;
                self.line_start = self.i;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => self.i += 1,
            b'#' => {
                while self.i < b.len() && b[self.i] != b'\n' {
                    self.i += 1;
                }
            }
            b'\\' if b.get(i + 1) == Some(&b'\n') => {
                self.i += 2;
                self.line += 1;
                self.line_start = self.i;
            }
            b'0'..=b'9' => {
                let end = self.scan(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.');
                let v = parse_int(&self.src[i..end]).map_err(|m| self.err(self.line, col, m))?;
                self.push(Tok::Int(v), col);
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let end = self.scan(|c| c.is_ascii_alphanumeric() || c == b'_');
                let name = &self.src[i..end];
                if matches!(b.get(end), Some(b'\'' | b'"'))
                    && matches!(
                        name,
                        "f" | "b" | "r" | "u" | "F" | "B" | "R" | "U" | "rb" | "br" | "fr" | "rf"
                    )
                {
                    return Err(self.err(
                        self.line,
                        col,
                        format!("{name}-prefixed string literals are outside the minipy subset"),
                    ));
                }
                self.push(Tok::Name(name.into()), col);
            }
            b'\'' | b'"' => self.string(c, col)?,
            _ => {
                let rest = &self.src[i..];
                let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                    let ch = rest.chars().next().unwrap();
                    return Err(self.err(
                        self.line,
                        col,
                        format!("invalid character '{ch}' (U+{:04X})", ch as u32),
                    ));
                };
                match *op {
                    "(" | "[" | "{" => self.depth += 1,
                    ")" | "]" | "}" => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
                self.push(Tok::Op(op), col);
                self.i += op.len();
            }
        }
        Ok(())
    }

    /// Moves `i` past the bytes `more` accepts; returns where it stopped.
    fn scan(&mut self, more: impl Fn(u8) -> bool) -> usize {
        while self.i < self.b.len() && more(self.b[self.i]) {
            self.i += 1;
        }
        self.i
    }

    /// A string literal quoted with `c` (tripled or not) starting at `i`, column `col`.
    fn string(&mut self, c: u8, col: usize) -> Result<(), SyntaxError> {
        let b = self.b;
        let mut i = self.i;
        let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
        let (start_line, start_col) = (self.line, col);
        let unterminated =
            |lx: &Self| lx.err(start_line, start_col, "unterminated string literal".into());
        i += if triple { 3 } else { 1 };
        let mut s = String::new();
        loop {
            if i >= b.len() {
                return Err(unterminated(self));
            }
            if triple && b[i] == c && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c) {
                i += 3;
                break;
            }
            if !triple && b[i] == c {
                i += 1;
                break;
            }
            if b[i] == b'\n' {
                if !triple {
                    return Err(unterminated(self));
                }
                self.line += 1;
                self.line_start = i + 1;
            }
            if b[i] == b'\\' && i + 1 < b.len() {
                i += 1;
                match b[i] {
                    b'n' => s.push('\n'),
                    b't' => s.push('\t'),
                    b'r' => s.push('\r'),
                    b'0' => s.push('\0'),
                    b'\\' => s.push('\\'),
                    b'\'' => s.push('\''),
                    b'"' => s.push('"'),
                    b'\n' => {
                        self.line += 1;
                        self.line_start = i + 1;
                    }
                    _ => {
                        s.push('\\');
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            let ch = self.src[i..].chars().next().unwrap();
            s.push(ch);
            i += ch.len_utf8();
        }
        self.i = i;
        self.out.push(Token {
            tok: Tok::Str(s),
            line: start_line,
            col: start_col as u32 + 1,
        });
        Ok(())
    }

    /// The end of the source: the last NEWLINE, a DEDENT per open level, EOF.
    fn finish(mut self) -> Vec<Token> {
        if !matches!(
            self.out.last().map(|t| &t.tok),
            None | Some(Tok::Newline) | Some(Tok::Dedent)
        ) {
            self.push(Tok::Newline, self.i - self.line_start);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(Tok::Dedent, 0);
        }
        self.push(Tok::Eof, 0);
        self.out
    }
}

/// Python integer literal syntax: decimal (no leading zeros), 0x/0o/0b, single underscores
/// between digits.
fn parse_int(text: &str) -> Result<Option<i64>, String> {
    let lower = text.to_ascii_lowercase();
    if lower.contains('.')
        || (lower.contains('e') && !lower.starts_with("0x"))
        || lower.ends_with('j')
    {
        return Err(format!(
            "the number '{text}' is not an integer: floats are outside the minipy subset"
        ));
    }
    let (radix, digits) = match lower.get(..2) {
        Some("0x") => (16, &text[2..]),
        Some("0o") => (8, &text[2..]),
        Some("0b") => (2, &text[2..]),
        _ => (10, text),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(format!(
            "invalid {} literal '{text}'",
            if radix == 10 { "decimal" } else { "integer" }
        ));
    }
    if radix == 10
        && digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().any(|c| c != b'0' && c != b'_')
    {
        return Err("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into());
    }
    let mut v: u128 = 0;
    for c in digits.bytes().filter(|&c| c != b'_') {
        let d = (c as char)
            .to_digit(radix)
            .ok_or_else(|| format!("invalid digit '{}' in integer literal '{text}'", c as char))?;
        v = (v * radix as u128 + d as u128).min(u64::MAX as u128 + 1);
    }
    Ok(i64::try_from(v).ok())
}
