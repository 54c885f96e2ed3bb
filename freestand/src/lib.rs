//! cargo-freestand: tiny freestanding Linux x86-64 executables from any crate.
//!
//! `cargo freestand` (this crate's binary) and this repository's `cargo xtask` share this
//! library: the scaffold ([`scaffold`]) with rt's sources it installs ([`rtsrc`]), a crate's
//! freestanding build, run, test and size ([`project`]), ELF inspection ([`inspect`]),
//! minipy in-process and ahead of time ([`py`], [`aot`]), and QEMU ([`host`]).

pub mod aot;
pub mod elf;
pub mod host;
pub mod inspect;
pub mod project;
pub mod py;
pub mod rtsrc;
pub mod scaffold;

pub use aot::aot_compile;

/// The only target this toolkit builds for.
pub const TARGET: &str = "x86_64-unknown-linux-gnu";

/// Codegen flags for freestanding builds (link flags come from rt::build in build.rs).
/// Static relocation model: plain absolute addressing, no GOT; no unwind tables (panic=abort).
pub const FREESTANDING_RUSTFLAGS: &str = "-C relocation-model=static -C force-unwind-tables=no";
