//! Errors: compile-time syntax errors, and run-time exceptions with CPython's names and
//! messages.

use alloc::string::String;

/// CPython's default recursion limit: a call that would make the stack this deep raises
/// RecursionError, in every mode.
pub const RECURSION_LIMIT: usize = 1000;

/// A syntax error (or a construct outside the subset) at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub col: u32,
    pub msg: String,
    /// IndentationError (a SyntaxError subclass) for block-structure errors.
    pub indentation: bool,
}

impl SyntaxError {
    pub fn kind_name(&self) -> &'static str {
        if self.indentation {
            "IndentationError"
        } else {
            "SyntaxError"
        }
    }
}

/// Exceptions minipy raises, named as CPython names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    NameError,
    UnboundLocalError,
    TypeError,
    ValueError,
    ZeroDivisionError,
    OverflowError,
    RecursionError,
    IndexError,
}

impl ExcKind {
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::TypeError => "TypeError",
            ExcKind::ValueError => "ValueError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::IndexError => "IndexError",
        }
    }
}

/// A raised exception.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub kind: ExcKind,
    pub msg: String,
}

impl Exception {
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> Exception {
        Exception {
            kind,
            msg: msg.into(),
        }
    }

    pub fn overflow() -> Exception {
        Exception::new(
            ExcKind::OverflowError,
            "integer overflow (minipy ints are 64-bit)",
        )
    }
}
