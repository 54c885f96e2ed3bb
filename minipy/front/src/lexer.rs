//! Tokens with positions, Python's way: INDENT/DEDENT from leading whitespace, NEWLINE at
//! the end of logical lines, implicit line joining inside brackets.

use crate::ast::IntLit;
use crate::error::{CompileErrorClass, SyntaxError};
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(String),
    /// An integer literal.
    Int(crate::ast::IntLit),
    Str(String),
    /// An f-string: its literal text and replacement fields, in order.
    FStr(Vec<FPart>),
    /// Operators and delimiters, e.g. "+", "//=", "(", ":".
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

/// A piece of an f-string.
#[derive(Clone, Debug, PartialEq)]
pub enum FPart {
    Lit(String),
    /// `{expr!conv:spec}`: the expression's source and where it starts (line, 0-based
    /// byte column), the conversion (`r`, `s`) and the format spec.
    Field {
        src: String,
        line: u32,
        col: u32,
        conv: Option<char>,
        /// The format spec: literal text and (one level deep) replacement fields.
        spec: Vec<FPart>,
    },
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
    /// 1-based, in UTF-8 bytes.
    pub col: u32,
    /// Where the token ends: its last line, and the 0-based byte offset just past it there
    /// (CPython's `end_col_offset`).
    pub end_line: u32,
    pub end_col: u32,
}

const OPS: [&str; 46] = [
    "**=", "//=", ">>=", "<<=", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=",
    "*=", "%=", "&=", "|=", "^=", "/=", ":=", "@=", "+", "-", "*", "/", "%", "&", "|", "^", "~",
    "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=", "@",
];

pub fn tokenize(src: &str) -> Result<Vec<Token>, SyntaxError> {
    let (toks, unclosed) = tokenize_brackets(src)?;
    match unclosed {
        Some(e) => Err(e),
        None => Ok(toks),
    }
}

/// The tokens, and CPython's error for a bracket still open at the end of the file
/// (`'(' was never closed`), which counts only if the parser gets that far: an error the
/// parser finds earlier is the one CPython reports.
pub fn tokenize_brackets(src: &str) -> Result<(Vec<Token>, Option<SyntaxError>), SyntaxError> {
    // CPython refuses a NUL anywhere, comments and strings included.
    if let Some(at) = src.bytes().position(|b| b == 0) {
        let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
        return Err(SyntaxError {
            span: 0,
            line: src[..at].matches('\n').count() as u32 + 1,
            col: (at - line_start) as u32 + 1,
            msg: "source code cannot contain null bytes".into(),
            class: CompileErrorClass::Syntax,
        });
    }
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        out: Vec::new(),
        indents: vec![(0, 0)],
        depth: 0,
        open: Vec::new(),
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
        let before = lx.out.len();
        lx.token()?;
        // A name, number or operator ends where the lexer now stands.
        if lx.out.len() > before
            && let Some(t) = lx.out.last_mut()
            && !matches!(t.tok, Tok::Str(_) | Tok::Newline)
        {
            t.end_line = lx.line;
            t.end_col = (lx.i - lx.line_start) as u32;
        }
    }
    let unclosed = lx
        .open
        .first()
        .map(|&(c, line, col)| lx.err(line, col, format!("'{}' was never closed", c as char)));
    Ok((lx.finish(), unclosed))
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
    /// The open indentation levels: the column with tabs to multiples of 8, and with tabs
    /// as one column (CPython's check for tabs and spaces mixed inconsistently).
    indents: Vec<(u32, u32)>,
    /// Bracket nesting: newlines inside are not logical line ends.
    /// The open brackets: the character, its line and column.
    open: Vec<(u8, u32, usize)>,
    depth: usize,
    i: usize,
    line: u32,
    line_start: usize,
    at_line_start: bool,
}

/// Where the string literal whose body contains byte `from` ends: just past its closing
/// quote (`c`, tripled when `triple`), or at the line's end when it has none there.
fn literal_end(b: &[u8], mut from: usize, c: u8, triple: bool) -> usize {
    while from < b.len() && b[from] != b'\n' {
        if b[from] == b'\\' {
            from += 2;
            continue;
        }
        if b[from] == c && (!triple || (b.get(from + 1) == Some(&c) && b.get(from + 2) == Some(&c)))
        {
            return from + if triple { 3 } else { 1 };
        }
        from += 1;
    }
    from.min(b.len())
}

impl Lexer<'_> {
    fn err(&self, line: u32, col: usize, msg: String) -> SyntaxError {
        SyntaxError {
            span: 1,
            line,
            col: col as u32 + 1,
            msg,
            class: CompileErrorClass::Syntax,
        }
    }

    /// Pushes `tok` at `col` (0-based) of the current line.
    fn push(&mut self, tok: Tok, col: usize) {
        self.out.push(Token {
            tok,
            line: self.line,
            col: col as u32 + 1,
            end_line: self.line,
            end_col: col as u32,
        });
    }

    /// At the start of a logical line: measures its indentation (INDENT/DEDENT tokens),
    /// skipping blank and comment-only lines entirely.
    fn indentation(&mut self) -> Result<Line, SyntaxError> {
        let b = self.b;
        let (mut col, mut alt) = (0u32, 0u32);
        let mut j = self.i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\x0c') {
            match b[j] {
                b'\t' => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                }
                // A form feed resets the count, as in CPython.
                b'\x0c' => (col, alt) = (0, 0),
                _ => (col, alt) = (col + 1, alt + 1),
            }
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
        let at = j - self.line_start;
        let fail = |lx: &Self, class: CompileErrorClass, msg: &str| {
            let mut e = lx.err(lx.line, at, msg.into());
            e.class = class;
            e
        };
        // CPython shows no caret for these two.
        let tab_error = |lx: &Self| SyntaxError {
            span: 0,
            ..fail(
                lx,
                CompileErrorClass::Tab,
                "inconsistent use of tabs and spaces in indentation",
            )
        };
        let (cur, cur_alt) = *self.indents.last().unwrap();
        if col > cur {
            // CPython's tokenizer holds 100 levels.
            if self.indents.len() >= 100 {
                return Err(SyntaxError {
                    span: 0,
                    ..fail(
                        self,
                        CompileErrorClass::Indentation,
                        "too many levels of indentation",
                    )
                });
            }
            if alt <= cur_alt {
                return Err(tab_error(self));
            }
            self.indents.push((col, alt));
            self.push(Tok::Indent, 0);
        } else {
            while col < self.indents.last().unwrap().0 {
                self.indents.pop();
                self.push(Tok::Dedent, col as usize);
            }
            let (top, top_alt) = *self.indents.last().unwrap();
            if col != top {
                // The caret goes after the line's text.
                let end = self.src[j..].find('\n').map_or(self.src.len(), |n| j + n);
                let text_end = j + self.src[j..end].trim_end().len();
                let mut e = self.err(
                    self.line,
                    text_end - self.line_start,
                    "unindent does not match any outer indentation level".into(),
                );
                e.class = CompileErrorClass::Indentation;
                return Err(e);
            }
            if alt != top_alt {
                return Err(tab_error(self));
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
                let v = parse_int(&self.src[i..end]).map_err(|m| {
                    let mut e = self.err(self.line, col, m);
                    if e.msg.starts_with("Exceeds the limit") {
                        e.class = CompileErrorClass::IntLiteralLimit;
                    }
                    e
                })?;
                self.push(Tok::Int(v), col);
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let end = self.scan(|c| c.is_ascii_alphanumeric() || c == b'_');
                let name = &self.src[i..end];
                if let Some(&q @ (b'\'' | b'"')) = b.get(end) {
                    match name {
                        // u"…" is a plain string; r"…" keeps its backslashes.
                        "u" | "U" | "r" | "R" => {
                            self.i = end;
                            return self.string(q, col, matches!(name, "r" | "R"));
                        }
                        "f" | "F" => {
                            self.i = end;
                            return self.fstring(q, col);
                        }
                        "b" | "B" | "rb" | "br" | "fr" | "rf" | "Rb" | "bR" | "RB" | "BR"
                        | "rB" | "Br" | "Fr" | "fR" | "FR" | "RF" | "rF" | "Rf" => {
                            return Err(self.err(
                                self.line,
                                col,
                                format!(
                                    "{name}-prefixed string literals are outside the minipy subset"
                                ),
                            ));
                        }
                        _ => {}
                    }
                }
                self.push(Tok::Name(name.into()), col);
            }
            b'\'' | b'"' => self.string(c, col, false)?,
            _ => {
                let rest = &self.src[i..];
                let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                    let ch = rest.chars().next().unwrap();
                    // CPython: an ASCII character no token starts with ($, ?, `) is
                    // "invalid syntax"; anything else names the character.
                    let msg = if ch.is_ascii() {
                        "invalid syntax".into()
                    } else {
                        format!("invalid character '{ch}' (U+{:04X})", ch as u32)
                    };
                    return Err(self.err(self.line, col, msg));
                };
                match *op {
                    // CPython's tokenizer stops at 200 open brackets.
                    "(" | "[" | "{" if self.depth >= 200 => {
                        return Err(self.err(self.line, col, "too many nested parentheses".into()));
                    }
                    "(" | "[" | "{" => {
                        self.depth += 1;
                        self.open.push((op.as_bytes()[0], self.line, col));
                    }
                    ")" | "]" | "}" => {
                        let close = op.as_bytes()[0];
                        let Some((open, line, _)) = self.open.pop() else {
                            return Err(self.err(self.line, col, format!("unmatched '{op}'")));
                        };
                        let pair =
                            matches!((open, close), (b'(', b')') | (b'[', b']') | (b'{', b'}'));
                        if !pair {
                            let mut msg = format!(
                                "closing parenthesis '{op}' does not match opening parenthesis '{}'",
                                open as char
                            );
                            if line != self.line {
                                msg.push_str(&format!(" on line {line}"));
                            }
                            return Err(self.err(self.line, col, msg));
                        }
                        self.depth = self.depth.saturating_sub(1);
                    }
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

    /// An f-string quoted with `c` starting at `i` (its prefix at column `col`): split into
    /// literal text (escapes resolved, `{{` and `}}` single braces) and replacement fields.
    fn fstring(&mut self, c: u8, col: usize) -> Result<(), SyntaxError> {
        let b = self.b;
        let start = self.i;
        let triple = b.get(start + 1) == Some(&c) && b.get(start + 2) == Some(&c);
        let body = start + if triple { 3 } else { 1 };
        // The literal as a plain string first: its end, and CPython's errors for an
        // unterminated one.
        let (line0, line_start0) = (self.line, self.line_start);
        self.string(c, col, true)?;
        self.out.pop();
        let end = self.i - if triple { 3 } else { 1 };
        let (end_line, end_line_start) = (self.line, self.line_start);
        let (mut line, mut line_start) = (line0, line_start0);
        let err = |line: u32, at: usize, line_start: usize, msg: &str| SyntaxError {
            span: 1,
            line,
            col: (at - line_start) as u32 + 1,
            msg: format!("f-string: {msg}"),
            class: CompileErrorClass::Syntax,
        };
        // CPython 3.11's f-string scanner places its errors just past the whole literal.
        let tail = (self.i - end_line_start) as u32 + 1;
        let fail = |msg: &str| SyntaxError {
            span: 1,
            line: end_line,
            col: tail,
            msg: if msg.starts_with("f-string") {
                String::from(msg)
            } else {
                format!("f-string: {msg}")
            },
            class: CompileErrorClass::Syntax,
        };
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = body;
        while i < end {
            match b[i] {
                b'{' if b.get(i + 1) == Some(&b'{') => {
                    lit.push('{');
                    i += 2;
                }
                b'}' if b.get(i + 1) == Some(&b'}') => {
                    lit.push('}');
                    i += 2;
                }
                b'}' => return Err(fail("single '}' is not allowed")),
                b'{' => {
                    if !lit.is_empty() {
                        parts.push(FPart::Lit(core::mem::take(&mut lit)));
                    }
                    let mut at = (line, line_start);
                    let (field, next) = self.fstring_field(i, end, body, &mut at, 0, &fail)?;
                    (line, line_start) = at;
                    parts.push(field);
                    i = next;
                }
                b'\\' if i + 1 < end => {
                    if b[i + 1] == b'\n' {
                        line += 1;
                        line_start = i + 2;
                        i += 2;
                        continue;
                    }
                    i = escape(self.src, body, i, &mut lit)
                        .map_err(|m| err(line, i, line_start, &m))?;
                }
                _ => {
                    if b[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    let ch = self.src[i..].chars().next().unwrap_or(' ');
                    lit.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(FPart::Lit(lit));
        }
        self.line = end_line;
        self.line_start = end_line_start;
        self.out.push(Token {
            tok: Tok::FStr(parts),
            line: line0,
            col: col as u32 + 1,
            end_line: self.line,
            end_col: (self.i - self.line_start) as u32,
        });
        Ok(())
    }

    /// The replacement field whose `{` is at `i` in an f-string whose text is
    /// `body..end`, `nest` fields deep (0 in the f-string itself, 1 in a format spec, where
    /// CPython 3.11 allows no deeper): the field and the index after its `}`. `at` holds
    /// the line and line start of `i` and follows the scan; the scanner's own errors are
    /// `fail`'s, in the order CPython 3.11's `fstring_find_expr` finds them.
    fn fstring_field(
        &self,
        i: usize,
        end: usize,
        body: usize,
        at: &mut (u32, usize),
        nest: u32,
        fail: &dyn Fn(&str) -> SyntaxError,
    ) -> Result<(FPart, usize), SyntaxError> {
        if nest >= 2 {
            return Err(fail("expressions nested too deeply"));
        }
        let b = self.b;
        let (field_line, field_col) = (at.0, i + 1 - at.1);
        // The expression: up to a `!`, `:` or `}` outside brackets and strings.
        let src_start = i + 1;
        let mut j = src_start;
        let mut parens: Vec<u8> = Vec::new();
        let mut quote: Option<(u8, bool)> = None;
        while j < end {
            let ch = b[j];
            if ch == b'\\' {
                return Err(fail("f-string expression part cannot include a backslash"));
            }
            let tripled = b.get(j + 1) == Some(&ch) && b.get(j + 2) == Some(&ch) && j + 2 < end;
            match (quote, ch) {
                (Some((q, true)), _) if ch == q && tripled => {
                    quote = None;
                    j += 2;
                }
                (Some((q, false)), _) if ch == q => quote = None,
                (Some(_), _) => {}
                (None, b'\'' | b'"') => {
                    quote = Some((ch, tripled));
                    if tripled {
                        j += 2;
                    }
                }
                (None, b'(' | b'[' | b'{') => {
                    if parens.len() >= 200 {
                        return Err(fail("too many nested parenthesis"));
                    }
                    parens.push(ch);
                }
                (None, b'#') => return Err(fail("f-string expression part cannot include '#'")),
                (None, b'!' | b'=' | b'<' | b'>')
                    if parens.is_empty() && b.get(j + 1) == Some(&b'=') =>
                {
                    j += 1;
                }
                (None, b'!' | b':' | b'}') if parens.is_empty() => break,
                (None, b')' | b']' | b'}') => {
                    let Some(open) = parens.pop() else {
                        return Err(fail(&format!("unmatched '{}'", ch as char)));
                    };
                    if !matches!((open, ch), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                        return Err(fail(&format!(
                            "closing parenthesis '{}' does not match opening parenthesis '{}'",
                            ch as char, open as char
                        )));
                    }
                }
                (_, b'\n') => {
                    at.0 += 1;
                    at.1 = j + 1;
                }
                _ => {}
            }
            j += 1;
        }
        if quote.is_some() {
            return Err(fail("unterminated string"));
        }
        if let Some(&open) = parens.last() {
            return Err(fail(&format!("unmatched '{}'", open as char)));
        }
        if j >= end {
            return Err(fail("expecting '}'"));
        }
        let src = &self.src[src_start..j];
        if src.trim().is_empty() {
            return Err(fail("empty expression not allowed"));
        }
        let mut conv = None;
        if b[j] == b'!' {
            let Some(&c) = b.get(j + 1).filter(|_| j + 1 < end) else {
                return Err(fail("expecting '}'"));
            };
            if !matches!(c, b'r' | b's' | b'a') {
                return Err(fail(
                    "invalid conversion character: expected 's', 'r', or 'a'",
                ));
            }
            conv = Some(c as char);
            j += 2;
        }
        let mut spec = Vec::new();
        if j < end && b[j] == b':' {
            j += 1;
            let mut lit = String::new();
            while j < end && b[j] != b'}' {
                match b[j] {
                    b'{' => {
                        if !lit.is_empty() {
                            spec.push(FPart::Lit(core::mem::take(&mut lit)));
                        }
                        let (field, next) = self.fstring_field(j, end, body, at, nest + 1, fail)?;
                        spec.push(field);
                        j = next;
                    }
                    b'\\' if j + 1 < end => {
                        j = escape(self.src, body, j, &mut lit)
                            .map_err(|m| self.err(at.0, j - at.1, format!("f-string: {m}")))?;
                    }
                    _ => {
                        if b[j] == b'\n' {
                            at.0 += 1;
                            at.1 = j + 1;
                        }
                        let ch = self.src[j..].chars().next().unwrap_or(' ');
                        lit.push(ch);
                        j += ch.len_utf8();
                    }
                }
            }
            if !lit.is_empty() {
                spec.push(FPart::Lit(lit));
            }
        }
        if j >= end || b[j] != b'}' {
            return Err(fail("expecting '}'"));
        }
        let field = FPart::Field {
            src: src.into(),
            line: field_line,
            col: field_col as u32,
            conv,
            spec,
        };
        Ok((field, j + 1))
    }

    /// A string literal quoted with `c` (tripled or not) starting at `i`, column `col` (of
    /// its prefix); `raw`: backslashes are kept (they still escape a quote or a newline
    /// from ending the literal).
    fn string(&mut self, c: u8, col: usize, raw: bool) -> Result<(), SyntaxError> {
        let b = self.b;
        let mut i = self.i;
        let body = i;
        let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
        let (start_line, start_col) = (self.line, col);
        // CPython names the line it was reading when the literal ran out: the line break of
        // a one-line literal, the file's last line for a triple-quoted one.
        let unterminated = |lx: &Self| {
            let (kind, at) = if triple {
                let last = lx.line - u32::from(lx.src.ends_with('\n') && lx.line > 1);
                ("unterminated triple-quoted string literal", last)
            } else {
                ("unterminated string literal", lx.line)
            };
            lx.err(
                start_line,
                start_col,
                format!("{kind} (detected at line {at})"),
            )
        };
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
                if raw {
                    // Both characters stay; the second cannot end the literal.
                    s.push('\\');
                    let ch = self.src[i + 1..].chars().next().unwrap();
                    if ch == '\n' {
                        self.line += 1;
                        self.line_start = i + 2;
                    }
                    s.push(ch);
                    i += 1 + ch.len_utf8();
                    continue;
                }
                if b[i + 1] == b'\n' {
                    self.line += 1;
                    self.line_start = i + 2;
                    i += 2;
                    continue;
                }
                let body_start = if triple { body + 3 } else { body + 1 };
                i = escape(self.src, body_start, i, &mut s).map_err(|m| {
                    // CPython's caret goes after the whole literal.
                    let end = literal_end(b, i, c, triple);
                    self.err(self.line, end - self.line_start, m)
                })?;
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
            end_line: self.line,
            end_col: (i - self.line_start) as u32,
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

/// One escape sequence of a (non-raw) string literal: `src[at]` is the backslash, the
/// literal's body starts at `body`. Appends what it means to `out` and returns where the
/// literal goes on. Every escape CPython knows, with CPython's error for a malformed one;
/// an unknown escape (`\d`) keeps its backslash, as in CPython.
fn escape(src: &str, body: usize, at: usize, out: &mut String) -> Result<usize, String> {
    let b = src.as_bytes();
    let simple = match b[at + 1] {
        b'\\' => Some('\\'),
        b'\'' => Some('\''),
        b'"' => Some('"'),
        b'a' => Some('\x07'),
        b'b' => Some('\x08'),
        b'f' => Some('\x0c'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'v' => Some('\x0b'),
        _ => None,
    };
    if let Some(ch) = simple {
        out.push(ch);
        return Ok(at + 2);
    }
    // CPython decodes the literal with the unicode_escape codec after writing each
    // non-ASCII character as \UXXXXXXXX: its error positions count such a character as 10.
    let position = |i: usize| -> usize {
        src[body..i]
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 10 })
            .sum()
    };
    let fail = |end: usize, what: &str| -> String {
        format!(
            "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: {what}",
            position(at),
            position(end)
        )
    };
    // Up to `n` digits of base `radix` after `from`: their value and where they end.
    let digits = |from: usize, n: usize, radix: u32| -> (u32, usize) {
        let mut v = 0u32;
        let mut j = from;
        while j < from + n && j < b.len() && (b[j] as char).is_digit(radix) {
            v = v * radix + (b[j] as char).to_digit(radix).unwrap_or(0);
            j += 1;
        }
        (v, j)
    };
    match b[at + 1] {
        b'0'..=b'7' => {
            let (v, end) = digits(at + 1, 3, 8);
            // 0o400..0o777 are characters too (CPython 3.11 accepts them silently).
            out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            Ok(end)
        }
        kind @ (b'x' | b'u' | b'U') => {
            let (n, name) = match kind {
                b'x' => (2, "truncated \\xXX escape"),
                b'u' => (4, "truncated \\uXXXX escape"),
                _ => (8, "truncated \\UXXXXXXXX escape"),
            };
            let (v, end) = digits(at + 2, n, 16);
            if end - (at + 2) < n {
                // The position of the last character read (CPython: up to the last digit).
                return Err(fail(end - 1, name));
            }
            match char::from_u32(v) {
                Some(ch) => out.push(ch),
                None if (0xd800..0xe000).contains(&v) => {
                    return Err(format!(
                        "the lone surrogate \\{}{:0w$x} is outside the minipy subset (its strings \
                         are UTF-8)",
                        kind as char,
                        v,
                        w = n
                    ));
                }
                None => return Err(fail(end - 1, "illegal Unicode character")),
            }
            Ok(end)
        }
        b'N' => {
            let close = (b.get(at + 2) == Some(&b'{'))
                .then(|| src[at + 3..].find(['}', '"', '\'', '\n']))
                .flatten()
                .map(|k| at + 3 + k)
                .filter(|&k| b[k] == b'}' && k > at + 3);
            match close {
                None => {
                    // CPython: up to the end of what it read (the name, or just \N).
                    let end = if b.get(at + 2) == Some(&b'{') {
                        at + 2 + src[at + 2..].find(['"', '\'', '\n']).unwrap_or(0)
                    } else {
                        at + 2
                    };
                    Err(fail(end - 1, "malformed \\N character escape"))
                }
                Some(k) => Err(format!(
                    "\\N{{{}}}: Unicode character names are outside the minipy subset (write \
                     the character or a \\u escape)",
                    &src[at + 3..k]
                )),
            }
        }
        _ => {
            // Unknown: the backslash stays and the next character is read as usual.
            out.push('\\');
            Ok(at + 1)
        }
    }
}

/// Python integer literal syntax: decimal (no leading zeros), 0x/0o/0b, single underscores
/// between digits.
fn parse_int(text: &str) -> Result<IntLit, String> {
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
    if let Ok(small) = i64::try_from(v) {
        return Ok(IntLit::Small(small));
    }
    // Past 64 bits: exact, as CPython reads it — but no more decimal digits than its
    // int↔str limit allows.
    let clean: alloc::vec::Vec<u8> = digits.bytes().filter(|&c| c != b'_').collect();
    if radix == 10 && clean.len() > crate::error::MAX_STR_DIGITS {
        return Err(alloc::format!(
            "{} - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.",
            crate::error::int_limit_message(clean.len())
        ));
    }
    Ok(IntLit::Big(
        num_bigint::BigInt::parse_bytes(&clean, radix).unwrap_or_default(),
    ))
}
