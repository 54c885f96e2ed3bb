//! jit: IR → passes → register allocation → x86-64 (its own encoder) → W^X pages → callable code.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod abi;
pub mod builder;
pub mod cfg;
pub mod codegen;
pub mod compile;
#[cfg(feature = "disasm")]
pub mod disasm;
pub mod emit;
pub mod error;
pub mod interp;
pub mod ir;
pub mod memory;
pub mod module;
pub mod passes;
pub mod regalloc;
pub mod sort;
pub mod text;
pub mod verify;

pub use builder::FunctionBuilder;
pub use compile::{
    CompiledModule, JitFn, JitModule, Options, compile_module, compile_module_owned,
    optimized_module,
};
pub use error::Error;
pub use ir::*;
pub use module::{HostFn, Module};
