//! The one error type: where (function, block, instruction) and what.

use alloc::string::String;
use core::fmt;

/// A compile error: malformed IR, a text parse error, an impossible encoding, or a mapping
/// failure. Displays as `FUNCTION: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub function: String,
    pub message: String,
}

impl Error {
    pub fn new(function: &str, message: impl Into<String>) -> Error {
        Error {
            function: function.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.function.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.function, self.message)
        }
    }
}

impl From<rt::Errno> for Error {
    fn from(e: rt::Errno) -> Error {
        Error::new("", alloc::format!("mapping code memory: {e}"))
    }
}
