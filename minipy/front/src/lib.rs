//! minipy's front end: source → tokens (`lexer`) → AST (`parser`, `ast`; `scope` resolves
//! names) → bytecode (`compiler`, `bytecode`), with CPython's syntax errors and messages
//! (`error`, `suggest`). Run once per program, so it is built for size (the workspace's
//! release profile gives this crate `opt-level = "s"`), apart from the interpreter that
//! runs its output at full speed (crate `minipy`, which re-exports every module here).

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod ast;
pub mod bytecode;
pub mod compiler;
pub mod error;
pub mod lexer;
pub mod names;
pub mod parser;
pub mod scope;
pub mod suggest;

pub use bytecode::{Program, disassemble};
pub use compiler::compile;
pub use error::{CompileErrorClass, ExcKind, Exception, SyntaxError};
