//! What the four tools share: operands as bytes, GNU-style messages.

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The arguments after the program name, as bytes.
pub fn args() -> Vec<Vec<u8>> {
    std::env::args_os()
        .skip(1)
        .map(|a| a.as_bytes().to_vec())
        .collect()
}

pub fn path(p: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(p))
}

/// The error's text without std's " (os error N)".
pub fn strerror(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `TOOL: parts…` on stderr, after what stdout holds.
pub fn complain(tool: &str, parts: &[&[u8]]) {
    let _ = std::io::stdout().flush();
    let mut line = format!("{tool}: ").into_bytes();
    for p in parts {
        line.extend_from_slice(p);
    }
    line.push(b'\n');
    let _ = std::io::stderr().write_all(&line);
}

/// An invalid option: the message and the hint, status `status`.
pub fn usage(tool: &str, parts: &[&[u8]], status: i32) -> i32 {
    complain(tool, parts);
    eprintln!("Try '{tool} --help' for more information.");
    status
}
