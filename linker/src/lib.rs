//! linker: freestand-ld (`ld`, a static linker for rustc's objects and rlibs), static ELF
//! executables written with `object`, and a look inside any ELF file (`inspect`, on goblin).
//!
//! The writer lives in `linker-core` (no_std, re-exported here as [`exe`]) so that
//! freestanding programs can use it without std.

pub use linker_core::exe;
pub mod attribute;
pub mod inspect;
pub mod ld;
pub mod names;
