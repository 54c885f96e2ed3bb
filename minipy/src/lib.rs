//! minipy: a Python subset with CPython's output, exit status and error messages, on the
//! freestand backend. Data flows one way:
//!
//! ```text
//! source ─lexer→ tokens ─parser→ AST (ast) ─compiler→ bytecode ─┬→ quick → vm (interpreter)
//!                                                                ├→ tier: analysis → lowering → jit
//!                                                                └→ aot (feature `aot`) → ELF image
//! ```
//!
//! `compile` checks the whole file first, as CPython does, so a syntax error means nothing
//! runs.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod analysis;
#[cfg(feature = "aot")]
pub mod aot;
pub mod bigint;
pub mod bind;
pub mod builtins;
pub mod deopt;
pub mod dict;
pub mod format;
pub mod heap;
pub mod jitobj;
pub mod lower;
pub mod objects;
pub mod pyset;
pub mod quick;
pub mod randprog;
pub mod set;
pub mod strs;
pub mod tier;
pub mod traceback;
pub mod value;
pub mod virtual_stack;
pub mod vm;

// The front end, a crate of its own (built for size): its modules keep their paths here.
pub use minipy_front::{ast, bytecode, compiler, error, lexer, names, parser, scope, suggest};

pub use bytecode::{Program, disassemble};
pub use compiler::compile;
pub use error::{CompileErrorClass, ExcKind, Exception, SyntaxError};
pub use traceback::Traceback;
pub use vm::{Host, Mode, Vm};

/// The script's name as CPython 3.11 shows it in tracebacks and error reports: absolute,
/// the working directory `cwd` joined to a relative path as given (`./a/../b.py` stays as
/// it is written, not normalized). `sys.argv[0]` keeps the name as given.
pub fn script_path(path: &str, cwd: Option<&str>) -> alloc::string::String {
    match cwd {
        Some(dir) if !path.starts_with('/') => {
            alloc::format!("{}/{path}", dir.trim_end_matches('/'))
        }
        _ => path.into(),
    }
}

/// A program file's text as CPython reads it: UTF-8, a leading byte-order mark dropped.
/// Anything else is CPython's SyntaxError naming the first bad byte and its line.
pub fn decode_source(bytes: &[u8], filename: &str) -> Result<alloc::string::String, SyntaxError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match core::str::from_utf8(bytes) {
        Ok(s) => Ok(s.into()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            Err(SyntaxError {
                span: 1,
                line,
                col: 1,
                msg: alloc::format!(
                    "Non-UTF-8 code starting with '\\x{:02x}' in file {filename} on line {line}, \
                     but no encoding declared; see https://peps.python.org/pep-0263/ for details",
                    bytes[at]
                ),
                class: CompileErrorClass::Encoding,
            })
        }
    }
}

/// CPython's SyntaxError report for `err` in `filename` whose text is `src`.
pub fn render_syntax_error(err: &SyntaxError, filename: &str, src: &str) -> alloc::string::String {
    use core::fmt::Write;
    let mut s = alloc::string::String::new();
    match err.class {
        // CPython names no place for these.
        CompileErrorClass::Recursion | CompileErrorClass::Encoding => {
            let _ = writeln!(s, "{}: {}", err.kind_name(), err.msg);
            return s;
        }
        CompileErrorClass::Memory => {
            let _ = writeln!(s, "{}", err.kind_name());
            return s;
        }
        CompileErrorClass::IntLiteralLimit => {
            // The literal where the line would be, no caret.
            let line = src.lines().nth(err.line as usize - 1).unwrap_or("");
            let from = (err.col as usize).saturating_sub(1).min(line.len());
            let lit: alloc::string::String = line[from..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let _ = writeln!(s, "  File \"{filename}\", line {}", err.line);
            let _ = writeln!(s, "    {lit}");
            let _ = writeln!(s, "{}: {}", err.kind_name(), err.msg);
            return s;
        }
        _ => {}
    }
    let _ = writeln!(s, "  File \"{filename}\", line {}", err.line);
    if let Some(text) = src.lines().nth(err.line as usize - 1) {
        let trimmed = text.trim_start();
        let indent = text.len() - trimmed.len();
        // CPython prints the line as a C string: up to a NUL, if it has one.
        match trimmed.split_once('\0') {
            Some((before, _)) => {
                let _ = writeln!(s, "    {before}");
            }
            None => {
                let _ = writeln!(s, "    {}", trimmed.trim_end_matches(['\r', '\n']));
            }
        }
        if err.span > 0 {
            let caret = (err.col as usize).saturating_sub(indent + 1);
            let _ = writeln!(
                s,
                "    {}{}",
                " ".repeat(caret),
                "^".repeat(err.span as usize)
            );
        }
    }
    let _ = writeln!(s, "{}: {}", err.kind_name(), err.msg);
    s
}
