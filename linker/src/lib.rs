//! linker: static ELF executables written with `object` (the ahead-of-time end of the
//! toolkit) and a look inside any ELF file (`inspect`, on goblin).
//!
//! The writer and the AOT compiler live in `linker-core` (no_std, re-exported here as
//! [`exe`] and [`aot`]) so that freestanding programs can use them without std.

pub use linker_core::{aot, exe};
pub mod inspect;
