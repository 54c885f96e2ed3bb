//! print!/println!/eprint!/eprintln! and the `entry!` family that turns a `#![no_main]`
//! crate into a freestanding program.

/// Prints to stdout (block-buffered; see [`crate::io`]).
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::io::_print(::core::format_args!($($arg)*), false) };
}

/// Prints to stdout with a newline.
#[macro_export]
macro_rules! println {
    () => { $crate::io::_print(::core::format_args!(""), true) };
    // A lone literal: the line with its newline is one string, one copy (and one write).
    ($fmt:literal) => {
        $crate::io::_print_line(::core::format_args!($fmt), ::core::concat!($fmt, "\n"))
    };
    ($($arg:tt)*) => { $crate::io::_print(::core::format_args!($($arg)*), true) };
}

/// Prints to stderr (written before the macro returns).
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::io::_eprint(::core::format_args!($($arg)*), false) };
}

/// Prints to stderr with a newline.
#[macro_export]
macro_rules! eprintln {
    () => { $crate::io::_eprint(::core::format_args!(""), true) };
    ($($arg:tt)*) => { $crate::io::_eprint(::core::format_args!($($arg)*), true) };
}

/// Makes a `#![no_std] #![no_main]` binary a complete freestanding program around
/// `fn main() -> T` (`T`: `()`, `i32`, `u8` or `Result<_, impl Debug>`):
///
/// ```ignore
/// #![cfg_attr(not(test), no_std, no_main)]
/// rt::entry!(main);
/// fn main() -> i32 { rt::println!("hi"); 0 }
/// #[test]
/// fn greets() { /* unit tests run on the host, with std */ }
/// ```
///
/// It emits `_start`, the panic handler, the global allocator and the C memory functions.
/// Each is also available alone ([`start!`](macro@crate::start),
/// [`panic_handler!`](macro@crate::panic_handler),
/// [`global_allocator!`](macro@crate::global_allocator),
/// [`mem_functions!`](macro@crate::mem_functions)) for programs that bring their own.
///
/// Under `cfg(test)` it emits nothing: `cargo test` builds each binary as a std test
/// harness, whose own `main`, panic handler and allocator would clash with these (with
/// `#![cfg_attr(not(test), no_std, no_main)]` the binary's unit tests then run like any
/// others, and a crate may have any number of binaries).
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[cfg(not(test))]
        const _: () = {
            $crate::start!($main);
            $crate::panic_handler!();
            $crate::global_allocator!();
            $crate::mem_functions!();
        };
        // The test harness has its own main; this one still counts as used.
        #[cfg(test)]
        const _: () = {
            let _ = $main;
        };
    };
}

/// Emits `_start`, which calls `$main` through [`crate::start::run`].
#[macro_export]
macro_rules! start {
    ($main:path) => {
        /// Process entry. The kernel jumps here with rsp at argc and no return address.
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn _start() -> ! {
            ::core::arch::naked_asm!(
                // The x86-64 psABI guarantees rsp ≡ 0 (mod 16) at process entry, as a
                // call needs it; the callee never returns.
                "xor ebp, ebp",   // frame-pointer chains end here (debuggers, profilers)
                "mov rdi, rsp",   // arg 0: the initial stack pointer
                "call {entry}",
                entry = sym __rt_start_rust,
            )
        }

        extern "C" fn __rt_start_rust(sp: *const usize) -> ! {
            // SAFETY: called once, from _start, with the kernel's stack pointer.
            unsafe { $crate::start::run(sp, $main) }
        }
    };
}

/// Emits the `#[panic_handler]`: std's message format on stderr, exit status 101.
#[macro_export]
macro_rules! panic_handler {
    () => {
        #[panic_handler]
        fn __rt_panic(info: &::core::panic::PanicInfo<'_>) -> ! {
            $crate::panic::report(info)
        }
    };
}

/// Emits `#[global_allocator] static` [`crate::heap::RtAlloc`].
#[macro_export]
macro_rules! global_allocator {
    () => {
        #[global_allocator]
        static __RT_ALLOCATOR: $crate::heap::RtAlloc = $crate::heap::RtAlloc::new();
    };
}

/// Emits memcpy, memmove, memset, memcmp, bcmp and strlen under their C names (compiled code
/// calls them; with no libc nothing else defines them), and the `rust_eh_personality` and
/// `_Unwind_Resume` that the precompiled (unwinding) core and alloc still reference under
/// panic=abort.
#[macro_export]
macro_rules! mem_functions {
    () => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn memcpy(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
            // SAFETY: the C contract of memcpy, which our callers (compiled code) follow.
            unsafe { $crate::mem::memcpy(d, s, n) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn memmove(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
            // SAFETY: as memcpy.
            unsafe { $crate::mem::memmove(d, s, n) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn memset(d: *mut u8, c: i32, n: usize) -> *mut u8 {
            // SAFETY: as memcpy.
            unsafe { $crate::mem::memset(d, c, n) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
            // SAFETY: as memcpy.
            unsafe { $crate::mem::memcmp(a, b, n) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
            // SAFETY: as memcpy.
            unsafe { $crate::mem::bcmp(a, b, n) }
        }
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
            // SAFETY: as memcpy.
            unsafe { $crate::mem::strlen(s) }
        }
        #[unsafe(no_mangle)]
        pub extern "C" fn rust_eh_personality() {}
        /// Cleanup paths in the precompiled (unwinding) alloc/core reference this; with
        /// panic=abort nothing ever starts an unwind, so it cannot be reached.
        #[unsafe(no_mangle)]
        pub extern "C" fn _Unwind_Resume() -> ! {
            $crate::panic::unwind_unreachable()
        }
    };
}
