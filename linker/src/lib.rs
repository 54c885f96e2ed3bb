//! linker: a look inside ELF files (`inspect`), and — next — static executables written
//! with `object` for the ahead-of-time end of the toolkit.

pub mod inspect;
