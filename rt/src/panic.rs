//! The panic report: flush stdout, print `panicked at FILE:LINE:COL:` and the message on
//! stderr, exit 101 — std's format and status, without threads or backtraces.

use crate::io::{self, StderrWriter};
use crate::sys;
use core::fmt::Write;
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicBool, Ordering};

/// Exit status of a panicking program (std's).
pub const EXIT_PANIC: i32 = 101;

static PANICKING: AtomicBool = AtomicBool::new(false);

/// Reports the panic and exits. Allocates nothing, so an out-of-memory panic can report.
pub fn report(info: &PanicInfo<'_>) -> ! {
    let mut err = StderrWriter::new();
    if PANICKING.swap(true, Ordering::Relaxed) {
        // A Display impl panicked while we formatted the first message.
        err.write_bytes(b"\npanicked while processing panic\n");
        err.flush();
        sys::exit_group(EXIT_PANIC);
    }
    // stdout first, so the two streams keep their order on a shared terminal.
    let _ = io::flush_at_exit();
    let _ = match info.location() {
        Some(l) => writeln!(err, "panicked at {}:{}:{}:", l.file(), l.line(), l.column()),
        None => writeln!(err, "panicked at <unknown location>:"),
    };
    let _ = writeln!(err, "{}", info.message());
    err.flush();
    sys::exit_group(EXIT_PANIC)
}

/// What `_Unwind_Resume` does in a panic=abort program: it cannot happen, so say so and abort.
#[cold]
pub fn unwind_unreachable() -> ! {
    let mut err = StderrWriter::new();
    err.write_bytes(b"fatal: _Unwind_Resume called in a panic=abort program\n");
    err.flush();
    sys::exit_group(134)
}
