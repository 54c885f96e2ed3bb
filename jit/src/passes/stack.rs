//! Lowering helper for stack-bytecode front ends (CPython-style `LOAD_FAST x; LOAD_CONST 1;
//! BINARY_OP +; STORE_FAST y`).
//!
//! A [`VirtualStack`] stands in for the interpreter's operand stack while one basic block of
//! bytecode is translated: pushing records which SSA value is on top, popping hands it back.
//! No IR is emitted for the pushes and pops themselves, so the operations end up with their
//! operands in registers directly — push/pop pairs disappear instead of becoming memory
//! traffic. At a block boundary the stack's contents travel as block arguments
//! ([`VirtualStack::to_args`]) and are rebuilt from the target's parameters
//! ([`VirtualStack::from_params`]).

use crate::builder::FunctionBuilder;
use crate::ir::{Block, Type, Value};
use alloc::vec::Vec;

/// The operand stack of one bytecode block, as SSA values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VirtualStack {
    values: Vec<Value>,
}

/// A bytecode instruction popped more values than the stack held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackUnderflow;

impl VirtualStack {
    pub fn new() -> VirtualStack {
        VirtualStack::default()
    }

    pub fn push(&mut self, v: Value) {
        self.values.push(v);
    }

    pub fn pop(&mut self) -> Result<Value, StackUnderflow> {
        self.values.pop().ok_or(StackUnderflow)
    }

    /// Pops two values, returning them in push order (`(a, b)` for `push a; push b`).
    pub fn pop2(&mut self) -> Result<(Value, Value), StackUnderflow> {
        let b = self.pop()?;
        let a = self.pop()?;
        Ok((a, b))
    }

    pub fn peek(&self) -> Result<Value, StackUnderflow> {
        self.values.last().copied().ok_or(StackUnderflow)
    }

    pub fn dup(&mut self) -> Result<(), StackUnderflow> {
        let v = self.peek()?;
        self.push(v);
        Ok(())
    }

    /// Swaps the top two entries.
    pub fn swap(&mut self) -> Result<(), StackUnderflow> {
        let n = self.values.len();
        if n < 2 {
            return Err(StackUnderflow);
        }
        self.values.swap(n - 1, n - 2);
        Ok(())
    }

    pub fn depth(&self) -> usize {
        self.values.len()
    }

    /// The stack's contents, bottom first: the arguments for the next block.
    pub fn to_args(&self) -> Vec<Value> {
        self.values.clone()
    }

    /// Gives block `b` one parameter per stack entry (types from the current values) and
    /// returns the stack as it looks inside `b`.
    pub fn params_for(&self, fb: &mut FunctionBuilder, b: Block) -> VirtualStack {
        let types: Vec<Type> = self.values.iter().map(|&v| fb.value_type(v)).collect();
        VirtualStack {
            values: types
                .into_iter()
                .map(|t| fb.append_block_param(b, t))
                .collect(),
        }
    }

    /// The stack made of a block's parameters.
    pub fn from_params(params: &[Value]) -> VirtualStack {
        VirtualStack {
            values: params.to_vec(),
        }
    }
}
