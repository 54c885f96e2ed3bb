//! [`FunctionBuilder`]: writes IR one instruction at a time.

use crate::error::Error;
use crate::ir::*;
use alloc::string::String;
use alloc::vec::Vec;

/// Builds a [`Function`]: create blocks, switch to one, append instructions, end it with a
/// terminator. [`FunctionBuilder::finish`] fails if a block was left without a terminator.
pub struct FunctionBuilder {
    func: Function,
    terminated: Vec<bool>,
    current: Block,
    site: Site,
}

impl FunctionBuilder {
    /// A function whose entry block (current) has one parameter per `params` entry.
    pub fn new(name: &str, params: &[Type], ret: Type) -> FunctionBuilder {
        let mut b = FunctionBuilder {
            func: Function {
                name: String::from(name),
                sig: Signature {
                    params: params.to_vec(),
                    ret,
                },
                blocks: Vec::new(),
                value_types: Vec::new(),
                sites: Default::default(),
                inlined: Vec::new(),
            },
            terminated: Vec::new(),
            current: Block::ENTRY,
            site: Site(0),
        };
        let entry = b.create_block();
        for &t in params {
            b.append_block_param(entry, t);
        }
        b
    }

    /// The source site of the calls appended from now on (`Site(0)`: none), as a debugger's
    /// current location.
    pub fn set_site(&mut self, site: Site) {
        self.site = site;
    }

    pub fn signature(&self) -> &Signature {
        &self.func.sig
    }

    /// The `i`th function parameter.
    pub fn param(&self, i: usize) -> Value {
        self.func.blocks[0].params[i]
    }

    pub fn create_block(&mut self) -> Block {
        self.func.blocks.push(BlockData {
            params: Vec::new(),
            insts: Vec::new(),
            term: Term::Return(Value(u32::MAX)),
            cold: false,
        });
        self.terminated.push(false);
        Block(self.func.blocks.len() as u32 - 1)
    }

    /// Marks `b` as expected to run rarely: laid out after the hot path.
    pub fn set_cold(&mut self, b: Block) {
        self.func.blocks[b.index()].cold = true;
    }

    pub fn append_block_param(&mut self, b: Block, ty: Type) -> Value {
        let v = self.func.new_value(ty);
        self.func.blocks[b.index()].params.push(v);
        v
    }

    pub fn block_params(&self, b: Block) -> &[Value] {
        &self.func.blocks[b.index()].params
    }

    /// Makes `b` the block instructions go to.
    pub fn switch_to(&mut self, b: Block) {
        self.current = b;
    }

    pub fn current_block(&self) -> Block {
        self.current
    }

    /// The constant `v` is, when the current block defines it as one (a front end's
    /// cheap look at what it just made; the passes find every constant later).
    pub fn constant(&self, v: Value) -> Option<i64> {
        self.func.blocks[self.current.index()]
            .insts
            .iter()
            .rev()
            .find_map(|i| match *i {
                Inst::Const { dst, value } if dst == v => Some(value),
                _ => None,
            })
    }

    /// Whether the current block already has its terminator.
    pub fn is_terminated(&self) -> bool {
        self.terminated[self.current.index()]
    }

    pub fn value_type(&self, v: Value) -> Type {
        self.func.value_type(v)
    }

    fn push(&mut self, ty: Type, make: impl FnOnce(Value) -> Inst) -> Value {
        let dst = self.func.new_value(ty);
        let inst = make(dst);
        self.func.blocks[self.current.index()].insts.push(inst);
        dst
    }

    pub fn iconst(&mut self, value: i64) -> Value {
        self.push(Type::I64, |dst| Inst::Const { dst, value })
    }

    pub fn bconst(&mut self, value: bool) -> Value {
        self.push(Type::Bool, |dst| Inst::Bool { dst, value })
    }

    pub fn copy(&mut self, src: Value) -> Value {
        let ty = self.value_type(src);
        self.push(ty, |dst| Inst::Copy { dst, src })
    }

    pub fn unary(&mut self, op: UnOp, src: Value) -> Value {
        let ty = if op == UnOp::Neg {
            Type::I64
        } else {
            self.value_type(src)
        };
        self.push(ty, |dst| Inst::Unary { dst, op, src })
    }

    pub fn binary(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        self.push(Type::I64, |dst| Inst::Binary { dst, op, a, b })
    }

    pub fn add(&mut self, a: Value, b: Value) -> Value {
        self.binary(BinOp::Add, a, b)
    }

    pub fn sub(&mut self, a: Value, b: Value) -> Value {
        self.binary(BinOp::Sub, a, b)
    }

    pub fn mul(&mut self, a: Value, b: Value) -> Value {
        self.binary(BinOp::Mul, a, b)
    }

    pub fn cmp(&mut self, op: Cmp, a: Value, b: Value) -> Value {
        self.push(Type::Bool, |dst| Inst::Cmp { dst, op, a, b })
    }

    pub fn select(&mut self, cond: Value, a: Value, b: Value) -> Value {
        let ty = self.value_type(a);
        self.push(ty, |dst| Inst::Select { dst, cond, a, b })
    }

    /// A direct call; `ret` is the callee's return type.
    pub fn call(&mut self, func: FuncId, ret: Type, args: &[Value]) -> Value {
        let v = self.push(ret, |dst| Inst::Call {
            dst,
            func,
            args: args.to_vec(),
        });
        self.mark_site(v)
    }

    pub fn call_host(&mut self, host: HostId, ret: Type, args: &[Value]) -> Value {
        let v = self.push(ret, |dst| Inst::CallHost {
            dst,
            host,
            args: args.to_vec(),
        });
        self.mark_site(v)
    }

    /// `width` bytes at `addr + offset`, zero-extended ([`Inst::Load`]).
    pub fn load(&mut self, addr: Value, offset: i32, width: Width) -> Value {
        self.push(Type::I64, |dst| Inst::Load {
            dst,
            addr,
            offset,
            width,
            invariant: false,
        })
    }

    /// An invariant load ([`Inst::Load`]'s `invariant`): memory only calls change, at an
    /// address valid wherever `addr` is defined.
    pub fn load_invariant(&mut self, addr: Value, offset: i32, width: Width) -> Value {
        self.push(Type::I64, |dst| Inst::Load {
            dst,
            addr,
            offset,
            width,
            invariant: true,
        })
    }

    /// Writes the low `width` bytes of `value` at `addr + offset` ([`Inst::Store`]).
    pub fn store(&mut self, addr: Value, offset: i32, value: Value, width: Width) {
        self.push(Type::I64, |dst| Inst::Store {
            dst,
            addr,
            offset,
            value,
            width,
        });
    }

    fn mark_site(&mut self, call: Value) -> Value {
        if self.site != Site(0) {
            self.func.sites.insert(call, self.site);
        }
        call
    }

    fn terminate(&mut self, term: Term) {
        let b = self.current.index();
        debug_assert!(!self.terminated[b], "{} terminated twice", self.current);
        self.func.blocks[b].term = term;
        self.terminated[b] = true;
    }

    pub fn jump(&mut self, to: Block, args: &[Value]) {
        self.terminate(Term::Jump(Target::new(to, args.to_vec())));
    }

    pub fn branch(
        &mut self,
        cond: Value,
        then: Block,
        then_args: &[Value],
        els: Block,
        els_args: &[Value],
    ) {
        self.terminate(Term::Branch {
            cond,
            then: Target::new(then, then_args.to_vec()),
            els: Target::new(els, els_args.to_vec()),
        });
    }

    /// Ends the block with a checked operation: on success continues in a new block (made
    /// current) whose parameter, returned here, holds the result; on failure jumps to `fail`.
    pub fn checked(
        &mut self,
        op: CheckedOp,
        a: Value,
        b: Value,
        fail: Block,
        fail_args: &[Value],
    ) -> Value {
        let ok = self.create_block();
        let result = self.append_block_param(ok, Type::I64);
        self.terminate(Term::Checked {
            op,
            a,
            b,
            ok,
            fail: Target::new(fail, fail_args.to_vec()),
        });
        self.switch_to(ok);
        result
    }

    pub fn ret(&mut self, v: Value) {
        self.terminate(Term::Return(v));
    }

    /// Ends the block, whose last instruction made `call` (a call of a function), with
    /// the call's two ways back: to `landed` if the callee returned to its landing
    /// ([`Builder::ret_landing`]), else to `normal` (the way that costs nothing).
    pub fn landing(
        &mut self,
        call: Value,
        landed: Block,
        landed_args: &[Value],
        normal: Block,
        normal_args: &[Value],
    ) {
        self.terminate(Term::Landing {
            call,
            landed: Target::new(landed, landed_args.to_vec()),
            normal: Target::new(normal, normal_args.to_vec()),
        });
    }

    /// Returns `v` to the landing of the call ([`Term::ReturnToLanding`]).
    pub fn ret_landing(&mut self, v: Value) {
        self.terminate(Term::ReturnToLanding(v));
    }

    /// The function, if every block has a terminator. Run [`crate::verify`] before compiling.
    pub fn finish(self) -> Result<Function, Error> {
        if let Some(b) = self.terminated.iter().position(|t| !t) {
            return Err(Error::new(
                &self.func.name,
                alloc::format!("block{b} has no terminator"),
            ));
        }
        Ok(self.func)
    }
}
