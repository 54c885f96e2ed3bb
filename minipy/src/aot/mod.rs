//! Ahead of time: a minipy program → `py_main` and its functions as jit IR ([`lower`]) plus
//! the runtime routines as machine code ([`runtime`]) → the jit backend → a static ELF image
//! ([`image`], written by linker-core). No interpreter, no JIT and no libc in the output.

pub mod image;
pub mod library;
pub mod lower;
pub mod runtime;

pub use image::{AotFailure, build, image};
pub use lower::{AotError, AotProgram, compile};
pub use runtime::{
    DATA_LANDINGS, DATA_OUTPUT, DATA_SITES, DATA_STRINGS, OUTPUT_CAP, OUTPUT_SIZE, REPEATED,
    Runtime, RuntimeErrors, constant_runtime, runtime,
};
