//! rt: a `#![no_std]` runtime for freestanding Linux x86-64 programs.
//!
//! Two ways to use it:
//! - **As a program's whole runtime.** A `#![no_std] #![no_main]` binary calls
//!   [`entry!`]`(main)`, which emits `_start`, the panic handler, the global allocator
//!   ([`heap::RtAlloc`]) and the C memory functions. No libc is linked.
//! - **As a library** from std programs and host tests: the syscall ([`sys`]), mapping
//!   ([`mmap`]), file ([`fs`]) and stream ([`io`]) layers work anywhere. Nothing global is
//!   defined unless a binary asks for it, so rt links into std programs without clashes.
//!
//! Features (both on by default; each costs bytes a one-line program never uses):
//! - `buffered-stdout`: stdout collects in a 32 KiB buffer, written when full, on
//!   [`io::Stdout::flush`], at exit and before a panic message. Without it every `print!` is
//!   one `write` and nothing waits for exit.
//! - `stack-overflow-report`: a stack overflow prints one line and aborts, as std does
//!   ([`stack`]); without it, it is a bare SIGSEGV.
//!
//! With `default-features = false`, hello is 395 bytes (examples/hello); with both, about
//! 1.2 KB.
//!
//! Layers, bottom up: [`sys::raw`] (the `syscall` instruction) → [`sys`] (typed wrappers,
//! [`Errno`]) → [`mmap`], [`fs`], [`io`], [`env`](mod@env) → [`heap`], [`start`](mod@start), [`panic`](mod@panic).
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

#[macro_use]
mod macros;

#[cfg(feature = "build")]
pub mod build;
pub mod env;
pub mod errno;
pub mod fs;
pub mod heap;
pub mod io;
pub mod mem;
pub mod mmap;
pub mod num;
pub mod panic;
pub mod process;
pub mod rand;
pub mod stack;
pub mod start;
pub mod sys;
pub mod time;

mod sync;

pub use errno::Errno;
pub use start::exit;
