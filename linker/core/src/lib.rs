//! The no_std half of the linker (re-exported by `linker`): [`exe`] writes static x86-64
//! executables with object's ELF writer from segments, symbols and relocations. It knows no
//! source language. Only `alloc` is needed, so the freestanding minipy runner writes
//! executables itself.

#![no_std]

extern crate alloc;

pub mod exe;
