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

use alloc::vec::Vec;
use jit::FunctionBuilder;
use jit::ir::{Block, Type, Value};

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

#[cfg(test)]
mod tests {
    use super::VirtualStack;
    use jit::text::FunctionDisplay;
    use jit::{FunctionBuilder, JitModule, Module, Type};
    use std::string::ToString;

    #[test]
    fn stack_lowering_leaves_no_push_pop_traffic() {
        // Bytecode for `y = (x + 1) * x; return y` on an operand stack, lowered with VirtualStack.
        enum Op {
            LoadX,
            Const(i64),
            Add,
            Mul,
            Dup,
            Swap,
            Ret,
        }
        let code = [
            Op::LoadX,
            Op::Const(1),
            Op::Add,
            Op::LoadX,
            Op::Swap,
            Op::Dup,
            Op::Mul,
            Op::Mul,
            Op::Ret,
        ];
        let mut b = FunctionBuilder::new("f", &[Type::I64], Type::I64);
        let mut st = VirtualStack::new();
        for op in &code {
            match op {
                Op::LoadX => st.push(b.param(0)),
                Op::Const(c) => {
                    let v = b.iconst(*c);
                    st.push(v)
                }
                Op::Add | Op::Mul => {
                    let (x, y) = st.pop2().unwrap();
                    let v = if matches!(op, Op::Add) {
                        b.add(x, y)
                    } else {
                        b.mul(x, y)
                    };
                    st.push(v);
                }
                Op::Dup => st.dup().unwrap(),
                Op::Swap => st.swap().unwrap(),
                Op::Ret => {
                    let v = st.pop().unwrap();
                    b.ret(v)
                }
            }
        }
        assert!(st.pop().is_err(), "balanced");
        let f = b.finish().unwrap();
        let mut m = Module::new();
        m.add(f.clone());
        let text = FunctionDisplay(&f, &m).to_string();
        // x * ((x+1) * (x+1)): three operations and a constant, no copies or memory.
        assert_eq!(
            text,
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 1\n    v2 = add v0, v1\n    v3 = mul v2, v2\n    v4 = mul v0, v3\n    ret v4\n}\n"
        );
        let j = JitModule::new(&m).unwrap();
        assert_eq!(j.get("f").unwrap().call(&[5]), 5 * 36);
    }
}
