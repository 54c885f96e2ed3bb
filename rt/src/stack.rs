//! Stack overflow reported as one line, not a bare SIGSEGV.
//!
//! The kernel grows the main stack down to `RLIMIT_STACK` and keeps a guard gap below it: a
//! program that recurses too deep faults there with SIGSEGV, which without a handler kills
//! it silently ("Segmentation fault" from the shell, nothing from the program). As Rust's
//! std does, [`install`] (called by [`crate::start::run`] before `main`) sets a SIGSEGV
//! handler that runs on an alternate signal stack — the faulting stack has no room left —
//! and tells an overflow (the fault address lies below the stack's top, next to the stack
//! pointer) from any other fault: an overflow prints
//!
//! ```text
//! fatal runtime error: stack overflow (the limit is ulimit -s)
//! ```
//!
//! and aborts (SIGABRT, status 134 in a shell); any other fault gets the default action
//! back and happens again, so it still ends in SIGSEGV with a core dump where enabled.
//!
//! Cost: two system calls at start (sigaltstack, rt_sigaction), 16 KiB of bss touched only
//! when a signal arrives, and about 300 bytes of code and message.
//!
//! Under qemu-x86_64 (7.2) the handler never runs: qemu-user cannot deliver a signal for a
//! fault in the guest's stack guard (a known limitation, e.g.
//! <https://github.com/felixonmars/archriscv-packages/issues/2192>), and the program dies
//! of SIGSEGV there as it would without rt.

use crate::sys::{self, Fd, raw, raw::nr};
use core::sync::atomic::{AtomicUsize, Ordering};

const SIGABRT: i32 = 6;
const SIGSEGV: usize = 11;
const SA_SIGINFO: u64 = 0x4;
const SA_ONSTACK: u64 = 0x0800_0000;
const SA_RESTORER: u64 = 0x0400_0000;
/// The handler runs once: on entry the action is back to the default.
const SA_RESETHAND: u64 = 0x8000_0000;
const ALT_STACK_SIZE: usize = 16 * 1024;

/// The initial stack pointer: the top of the main stack (as far as overflow goes).
static STACK_TOP: AtomicUsize = AtomicUsize::new(0);

#[repr(C, align(16))]
struct AltStack([u8; ALT_STACK_SIZE]);

/// The alternate signal stack: only the kernel writes it, when it delivers a signal.
static mut ALT_STACK: AltStack = AltStack([0; ALT_STACK_SIZE]);

use crate::sys::KernelSigaction;

/// `stack_t`.
#[repr(C)]
struct SignalStack {
    sp: *mut u8,
    flags: i32,
    size: usize,
}

/// Where a handler returns to: rt_sigreturn, which x86-64 requires every handler to have
/// (`SA_RESTORER`) even though this one only returns for faults that are not overflows.
#[unsafe(naked)]
extern "C" fn restorer() -> ! {
    core::arch::naked_asm!("mov eax, 15", "syscall", "ud2")
}

/// Sets up the report for a stack whose top is `sp` (the stack pointer at `_start`).
/// Failure (a seccomp filter, an old kernel) leaves the default: a plain SIGSEGV.
pub fn install(sp: usize) {
    STACK_TOP.store(sp, Ordering::Relaxed);
    let ss = SignalStack {
        sp: (&raw mut ALT_STACK).cast(),
        flags: 0,
        size: ALT_STACK_SIZE,
    };
    // SAFETY: ss describes memory only the kernel uses, for signal frames, from now on.
    if unsafe { raw::syscall2(nr::SIGALTSTACK, &ss as *const SignalStack as usize, 0) } < 0 {
        return;
    }
    let act = KernelSigaction {
        handler: on_segv as *const () as usize,
        flags: SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_RESETHAND,
        restorer: restorer as *const () as usize,
        mask: 0,
    };
    // SAFETY: act is a valid struct sigaction with the kernel's 8-byte signal set.
    unsafe {
        raw::syscall4(
            nr::RT_SIGACTION,
            SIGSEGV,
            &act as *const KernelSigaction as usize,
            0,
            8,
        );
    }
}

/// How far below the interrupted stack pointer an access may fault and still be the stack
/// running out: a call's return address, a stack probe, a large frame.
const NEAR_SP: usize = 64 * 1024;

/// Whether a fault at `addr`, taken with the stack pointer at `sp`, is the stack running
/// out: below the top of the main stack and next to the stack pointer (on a stack that has
/// room, such an access never faults).
pub fn is_overflow(addr: usize, sp: usize, top: usize) -> bool {
    addr < top && addr <= sp.saturating_add(4096) && sp.saturating_sub(addr) <= NEAR_SP
}

/// The SIGSEGV handler: report an overflow and abort; anything else faults again with the
/// default action (SA_RESETHAND restored it).
extern "C" fn on_segv(_sig: i32, info: *const u8, context: *const u8) {
    // SAFETY: the kernel passes a siginfo_t (si_addr at offset 16 on x86-64) and a
    // ucontext_t (the interrupted rsp is general register 15 of the mcontext at 40).
    let (addr, sp) = unsafe {
        (
            info.add(16).cast::<usize>().read(),
            context.add(40 + 15 * 8).cast::<usize>().read(),
        )
    };
    if !is_overflow(addr, sp, STACK_TOP.load(Ordering::Relaxed)) {
        return;
    }
    let _ = sys::write(
        Fd::STDERR,
        b"fatal runtime error: stack overflow (the limit is ulimit -s)\n",
    );
    let _ = sys::kill(sys::getpid(), SIGABRT);
    sys::exit_group(134)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_told_from_other_faults() {
        let top = 0x7fff_0000_0000;
        let sp = top - (8 << 20) + 64;
        assert!(is_overflow(sp - 8, sp, top)); // a call's return address
        assert!(is_overflow(sp - 4096, sp, top)); // a stack probe
        assert!(!is_overflow(0, sp, top)); // a null pointer
        assert!(!is_overflow(sp - (1 << 20), sp, top)); // far from the stack pointer
        assert!(!is_overflow(top + 16, top + 8, top)); // above the stack
    }
}
