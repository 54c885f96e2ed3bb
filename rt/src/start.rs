//! Program start and exit: what runs between the kernel's jump to `_start` and exit_group.
//!
//! [`crate::entry!`] emits the `_start` symbol itself (a naked function: the kernel enters
//! with no return address and rsp 16-byte aligned, which no compiled prologue expects), and
//! that calls [`run`] with the initial stack pointer.

use crate::{env, io, sys};

/// What `main` may return, as in std: `()`, an exit code, or a `Result` whose error is
/// printed as `Error: {e:?}` with exit status 1.
pub trait Termination {
    fn report(self) -> i32;
}

impl Termination for () {
    fn report(self) -> i32 {
        0
    }
}

impl Termination for i32 {
    fn report(self) -> i32 {
        self
    }
}

impl Termination for u8 {
    fn report(self) -> i32 {
        self as i32
    }
}

impl<T: Termination, E: core::fmt::Debug> Termination for Result<T, E> {
    fn report(self) -> i32 {
        match self {
            Ok(t) => t.report(),
            Err(e) => {
                io::_eprint(format_args!("Error: {e:?}"), true);
                1
            }
        }
    }
}

/// Records the initial stack, runs `main`, flushes stdout and exits with its status.
///
/// # Safety
/// `sp` must be the stack pointer the kernel started the process with.
#[inline(always)] // into `_start`'s callee: in hello, a call saved is bytes saved
pub unsafe fn run<T: Termination, F: FnOnce() -> T>(sp: *const usize, main: F) -> ! {
    // SAFETY: forwarded to the caller.
    unsafe { env::init(sp) };
    #[cfg(feature = "stack-overflow-report")]
    crate::stack::install(sp as usize);
    exit(main().report())
}

/// Flushes stdout and ends the process with `code`. A stdout that fails to flush with EPIPE
/// turns the status into [`io::EXIT_BROKEN_PIPE`]; other flush errors are reported on
/// stderr and turn a zero status into 1.
pub fn exit(code: i32) -> ! {
    match io::flush_at_exit() {
        Ok(()) => sys::exit_group(code),
        Err(e) => io::stdout_failed(e, code),
    }
}
