//! linker: static ELF executables written with `object` (the ahead-of-time end of the
//! toolkit) and a look inside any ELF file (`inspect`, on goblin).
//!
//! Without the default `std` feature only [`exe`] is built (on `alloc`), so freestanding
//! programs can write executables too.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod aot;
pub mod exe;
#[cfg(feature = "std")]
pub mod inspect;
