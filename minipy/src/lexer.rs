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
    let b = src.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut indents: Vec<u32> = vec![0];
    let mut depth = 0usize; // bracket nesting: newlines inside are not logical line ends
    let (mut i, mut line) = (0usize, 1u32);
    let mut line_start = 0usize;
    let mut at_line_start = true;
    let err = |line: u32, col: usize, msg: String| SyntaxError {
        line,
        col: col as u32 + 1,
        msg,
        indentation: false,
    };
    while i <= b.len() {
        if at_line_start && depth == 0 {
            // Measure indentation; skip blank and comment-only lines entirely.
            let mut col = 0u32;
            let mut j = i;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\x0c') {
                col = if b[j] == b'\t' {
                    (col / 8 + 1) * 8
                } else {
                    col + 1
                };
                j += 1;
            }
            if j >= b.len() {
                break;
            }
            if b[j] == b'\n' || b[j] == b'#' || b[j] == b'\r' {
                while j < b.len() && b[j] != b'\n' {
                    j += 1;
                }
                i = j + 1;
                line += 1;
                line_start = i;
                continue;
            }
            let cur = *indents.last().unwrap();
            if col > cur {
                indents.push(col);
                out.push(Token {
                    tok: Tok::Indent,
                    line,
                    col: 1,
                });
            } else {
                while col < *indents.last().unwrap() {
                    indents.pop();
                    out.push(Token {
                        tok: Tok::Dedent,
                        line,
                        col: col + 1,
                    });
                }
                if col != *indents.last().unwrap() {
                    let mut e = err(
                        line,
                        j - line_start,
                        "unindent does not match any outer indentation level".into(),
                    );
                    e.indentation = true;
                    return Err(e);
                }
            }
            i = j;
            at_line_start = false;
        }
        if i >= b.len() {
            break;
        }
        let c = b[i];
        let col = i - line_start;
        match c {
            b'\n' => {
                if depth == 0 {
                    out.push(Token {
                        tok: Tok::Newline,
                        line,
                        col: col as u32 + 1,
                    });
                    at_line_start = true;
                }
                i += 1;
                line += 1;
                line_start = i;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\\' if b.get(i + 1) == Some(&b'\n') => {
                i += 2;
                line += 1;
                line_start = i;
            }
            b'0'..=b'9' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                {
                    i += 1;
                }
                let text = &src[start..i];
                out.push(Token {
                    tok: Tok::Int(parse_int(text).map_err(|m| err(line, col, m))?),
                    line,
                    col: col as u32 + 1,
                });
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let name = &src[start..i];
                if matches!(b.get(i), Some(b'\'' | b'"'))
                    && matches!(
                        name,
                        "f" | "b" | "r" | "u" | "F" | "B" | "R" | "U" | "rb" | "br" | "fr" | "rf"
                    )
                {
                    return Err(err(
                        line,
                        col,
                        format!("{name}-prefixed string literals are outside the minipy subset"),
                    ));
                }
                out.push(Token {
                    tok: Tok::Name(name.into()),
                    line,
                    col: col as u32 + 1,
                });
            }
            b'\'' | b'"' => {
                let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                let (start_line, start_col) = (line, col);
                i += if triple { 3 } else { 1 };
                let mut s = String::new();
                loop {
                    if i >= b.len() {
                        return Err(err(
                            start_line,
                            start_col,
                            "unterminated string literal".into(),
                        ));
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
                            return Err(err(
                                start_line,
                                start_col,
                                "unterminated string literal".into(),
                            ));
                        }
                        line += 1;
                        line_start = i + 1;
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
                                line += 1;
                                line_start = i + 1;
                            }
                            _ => {
                                s.push('\\');
                                continue;
                            }
                        }
                        i += 1;
                        continue;
                    }
                    let ch = src[i..].chars().next().unwrap();
                    s.push(ch);
                    i += ch.len_utf8();
                }
                out.push(Token {
                    tok: Tok::Str(s),
                    line: start_line,
                    col: start_col as u32 + 1,
                });
            }
            _ => {
                let rest = &src[i..];
                let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                    let ch = rest.chars().next().unwrap();
                    return Err(err(
                        line,
                        col,
                        format!("invalid character '{ch}' (U+{:04X})", ch as u32),
                    ));
                };
                match *op {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push(Token {
                    tok: Tok::Op(op),
                    line,
                    col: col as u32 + 1,
                });
                i += op.len();
            }
        }
    }
    if !matches!(
        out.last().map(|t| &t.tok),
        None | Some(Tok::Newline) | Some(Tok::Dedent)
    ) {
        out.push(Token {
            tok: Tok::Newline,
            line,
            col: (i - line_start) as u32 + 1,
        });
    }
    while indents.len() > 1 {
        indents.pop();
        out.push(Token {
            tok: Tok::Dedent,
            line,
            col: 1,
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        line,
        col: 1,
    });
    Ok(out)
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
