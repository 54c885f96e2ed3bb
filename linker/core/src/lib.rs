//! The no_std half of the linker (re-exported by `linker`): [`exe`] writes static x86-64
//! executables with object's ELF writer, [`aot`] compiles minipy programs ahead of time into
//! them. Only `alloc` is needed, so the freestanding minipy runner writes executables itself.

#![no_std]

extern crate alloc;

pub mod aot;
pub mod exe;
