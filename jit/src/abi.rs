//! The System V x86-64 calling convention, as the register allocator and the code generator
//! both see it: one place, so neither has to import the other.

use crate::emit::Gpr;

/// Argument registers, in order; arguments past the sixth go on the stack.
pub const ARG_REGS: [Gpr; 6] = [Gpr::Rdi, Gpr::Rsi, Gpr::Rdx, Gpr::Rcx, Gpr::R8, Gpr::R9];
