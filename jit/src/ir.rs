//! The IR: typed SSA in basic blocks with block parameters (no phi instructions).
//!
//! A [`Function`] has blocks; block 0 is the entry and its parameters are the function's.
//! Each block holds straight-line [`Inst`]s and ends in one [`Term`]. Values are `i64` or
//! `bool` (0/1 in a register). Operations that can fail — overflow-checked arithmetic,
//! division, range-checked shifts — are terminators ([`Term::Checked`]): the result arrives
//! as the single parameter of the `ok` block, and failure jumps to `fail`. So every value is
//! defined on every path that reaches its uses, and all analyses stay plain SSA.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// A value's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    I64,
    Bool,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::I64 => "i64",
            Type::Bool => "bool",
        })
    }
}

/// An SSA value: an instruction result or a block parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(pub u32);

/// A basic block of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block(pub u32);

/// A function of the same [`crate::Module`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncId(pub u32);

/// A host (extern "C") function registered with the [`crate::Module`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HostId(pub u32);

impl Value {
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl Block {
    pub const ENTRY: Block = Block(0);
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "block{}", self.0)
    }
}

/// Wrapping two-operand i64 operations. Shift counts are taken modulo 64 (x86's rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Shl,
    /// Arithmetic (sign-filling) right shift.
    Sar,
    /// Logical (zero-filling) right shift.
    Shr,
}

impl BinOp {
    pub const ALL: [BinOp; 9] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::Shl,
        BinOp::Sar,
        BinOp::Shr,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
            BinOp::Shl => "shl",
            BinOp::Sar => "sar",
            BinOp::Shr => "shr",
        }
    }

    /// The result, as the machine computes it.
    pub fn eval(self, a: i64, b: i64) -> i64 {
        match self {
            BinOp::Add => a.wrapping_add(b),
            BinOp::Sub => a.wrapping_sub(b),
            BinOp::Mul => a.wrapping_mul(b),
            BinOp::And => a & b,
            BinOp::Or => a | b,
            BinOp::Xor => a ^ b,
            BinOp::Shl => a.wrapping_shl((b & 63) as u32),
            BinOp::Sar => a.wrapping_shr((b & 63) as u32),
            BinOp::Shr => ((a as u64) >> (b & 63)) as i64,
        }
    }

    pub fn is_commutative(self) -> bool {
        matches!(
            self,
            BinOp::Add | BinOp::Mul | BinOp::And | BinOp::Or | BinOp::Xor
        )
    }
}

/// Operations that can fail; see [`Term::Checked`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckedOp {
    /// Fails on signed overflow.
    Add,
    Sub,
    Mul,
    /// Truncating (C) division: fails when dividing by zero or on `i64::MIN / -1`.
    DivT,
    /// Truncating remainder (sign of the dividend): fails when dividing by zero.
    RemT,
    /// Floor division (rounds toward negative infinity): fails when dividing by zero or on `i64::MIN // -1`.
    DivF,
    /// Floor modulo (sign of the divisor): fails when dividing by zero.
    ModF,
    /// Left shift: fails for a count outside 0..=63 or when bits (or the sign) are lost.
    Shl,
    /// Arithmetic right shift: fails for a negative count; counts past 63 act as 63.
    Sar,
}

impl CheckedOp {
    pub const ALL: [CheckedOp; 9] = [
        CheckedOp::Add,
        CheckedOp::Sub,
        CheckedOp::Mul,
        CheckedOp::DivT,
        CheckedOp::RemT,
        CheckedOp::DivF,
        CheckedOp::ModF,
        CheckedOp::Shl,
        CheckedOp::Sar,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CheckedOp::Add => "add.ovf",
            CheckedOp::Sub => "sub.ovf",
            CheckedOp::Mul => "mul.ovf",
            CheckedOp::DivT => "sdiv",
            CheckedOp::RemT => "srem",
            CheckedOp::DivF => "floordiv",
            CheckedOp::ModF => "floormod",
            CheckedOp::Shl => "shl.ovf",
            CheckedOp::Sar => "sar.chk",
        }
    }

    /// The result, or `None` where the operation fails.
    pub fn eval(self, a: i64, b: i64) -> Option<i64> {
        match self {
            CheckedOp::Add => a.checked_add(b),
            CheckedOp::Sub => a.checked_sub(b),
            CheckedOp::Mul => a.checked_mul(b),
            CheckedOp::DivT => a.checked_div(b),
            CheckedOp::RemT => {
                if b == 0 {
                    None
                } else {
                    Some(a.wrapping_rem(b))
                }
            }
            CheckedOp::DivF => {
                let q = a.checked_div(b)?;
                let r = a.wrapping_rem(b);
                Some(if r != 0 && (r ^ b) < 0 { q - 1 } else { q })
            }
            CheckedOp::ModF => {
                if b == 0 {
                    return None;
                }
                let r = a.wrapping_rem(b);
                Some(if r != 0 && (r ^ b) < 0 { r + b } else { r })
            }
            CheckedOp::Shl => {
                if !(0..=63).contains(&b) {
                    return None;
                }
                let r = a << b;
                (r >> b == a).then_some(r)
            }
            CheckedOp::Sar => {
                if b < 0 {
                    None
                } else {
                    Some(a >> b.min(63))
                }
            }
        }
    }
}

/// One-operand operations: `neg` (i64, wrapping) and `not` (bitwise on i64, logical on bool).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Not,
}

impl UnOp {
    pub fn name(self) -> &'static str {
        match self {
            UnOp::Neg => "neg",
            UnOp::Not => "not",
        }
    }
}

/// How many bytes a memory access moves; loads zero-extend to 64 bits, stores write the
/// low bytes of the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Width {
    U8,
    U32,
    U64,
}

impl Width {
    pub const ALL: [Width; 3] = [Width::U8, Width::U32, Width::U64];

    pub fn name(self) -> &'static str {
        match self {
            Width::U8 => "u8",
            Width::U32 => "u32",
            Width::U64 => "u64",
        }
    }

    pub fn bytes(self) -> usize {
        match self {
            Width::U8 => 1,
            Width::U32 => 4,
            Width::U64 => 8,
        }
    }
}

/// Comparisons: signed (for bool operands: false < true), and unsigned (`u…`: the
/// operands' bits as u64 — one test of `0 <= i < n` for any i64 `i` and `n >= 0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Ult,
    Ule,
    Ugt,
    Uge,
}

impl Cmp {
    pub const ALL: [Cmp; 10] = [
        Cmp::Eq,
        Cmp::Ne,
        Cmp::Lt,
        Cmp::Le,
        Cmp::Gt,
        Cmp::Ge,
        Cmp::Ult,
        Cmp::Ule,
        Cmp::Ugt,
        Cmp::Uge,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cmp::Eq => "eq",
            Cmp::Ne => "ne",
            Cmp::Lt => "lt",
            Cmp::Le => "le",
            Cmp::Gt => "gt",
            Cmp::Ge => "ge",
            Cmp::Ult => "ult",
            Cmp::Ule => "ule",
            Cmp::Ugt => "ugt",
            Cmp::Uge => "uge",
        }
    }

    pub fn eval(self, a: i64, b: i64) -> bool {
        let (ua, ub) = (a as u64, b as u64);
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Ult => ua < ub,
            Cmp::Ule => ua <= ub,
            Cmp::Ugt => ua > ub,
            Cmp::Uge => ua >= ub,
        }
    }

    /// Whether it compares the operands as unsigned.
    pub fn is_unsigned(self) -> bool {
        matches!(self, Cmp::Ult | Cmp::Ule | Cmp::Ugt | Cmp::Uge)
    }

    /// The comparison with its operands swapped (`a < b` ⇔ `b > a`).
    pub fn swapped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            Cmp::Ult => Cmp::Ugt,
            Cmp::Ule => Cmp::Uge,
            Cmp::Ugt => Cmp::Ult,
            Cmp::Uge => Cmp::Ule,
            c => c,
        }
    }

    /// The negated comparison (`!(a < b)` ⇔ `a >= b`).
    pub fn inverse(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::Lt => Cmp::Ge,
            Cmp::Le => Cmp::Gt,
            Cmp::Gt => Cmp::Le,
            Cmp::Ge => Cmp::Lt,
            Cmp::Ult => Cmp::Uge,
            Cmp::Ule => Cmp::Ugt,
            Cmp::Ugt => Cmp::Ule,
            Cmp::Uge => Cmp::Ult,
        }
    }
}

/// A straight-line instruction. Every instruction defines exactly one value, `dst`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inst {
    /// An i64 constant.
    Const {
        dst: Value,
        value: i64,
    },
    /// A bool constant.
    Bool {
        dst: Value,
        value: bool,
    },
    Copy {
        dst: Value,
        src: Value,
    },
    Unary {
        dst: Value,
        op: UnOp,
        src: Value,
    },
    Binary {
        dst: Value,
        op: BinOp,
        a: Value,
        b: Value,
    },
    Cmp {
        dst: Value,
        op: Cmp,
        a: Value,
        b: Value,
    },
    /// `cond ? a : b`.
    Select {
        dst: Value,
        cond: Value,
        a: Value,
        b: Value,
    },
    /// A direct call to a function of the same module.
    Call {
        dst: Value,
        func: FuncId,
        args: Vec<Value>,
    },
    /// A call to a registered host function (SysV ABI).
    CallHost {
        dst: Value,
        host: HostId,
        args: Vec<Value>,
    },
    /// `width` bytes at `addr + offset`, zero-extended. The front end vouches for the
    /// address (memory its host functions own); the backend keeps every load and store in
    /// program order and never removes one — except an `invariant` load, by which the front
    /// end promises more: no store of the function writes that memory (only calls change
    /// it), and the address is valid wherever its operand is defined. Such a load may be
    /// taken out of a loop that makes no calls ([`crate::passes::hoist_invariants`]).
    Load {
        dst: Value,
        addr: Value,
        offset: i32,
        width: Width,
        invariant: bool,
    },
    /// Writes the low `width` bytes of `value` at `addr + offset`. Its `dst` (an i64) has no
    /// value: nothing may read it.
    Store {
        dst: Value,
        addr: Value,
        offset: i32,
        value: Value,
        width: Width,
    },
}

impl Inst {
    #[inline]
    pub fn dst(&self) -> Value {
        match self {
            Inst::Const { dst, .. }
            | Inst::Bool { dst, .. }
            | Inst::Copy { dst, .. }
            | Inst::Unary { dst, .. }
            | Inst::Binary { dst, .. }
            | Inst::Cmp { dst, .. }
            | Inst::Select { dst, .. }
            | Inst::Call { dst, .. }
            | Inst::CallHost { dst, .. }
            | Inst::Load { dst, .. }
            | Inst::Store { dst, .. } => *dst,
        }
    }

    /// Renames the value it defines.
    pub fn set_dst(&mut self, new: Value) {
        match self {
            Inst::Const { dst, .. }
            | Inst::Bool { dst, .. }
            | Inst::Copy { dst, .. }
            | Inst::Unary { dst, .. }
            | Inst::Binary { dst, .. }
            | Inst::Cmp { dst, .. }
            | Inst::Select { dst, .. }
            | Inst::Call { dst, .. }
            | Inst::CallHost { dst, .. }
            | Inst::Load { dst, .. }
            | Inst::Store { dst, .. } => *dst = new,
        }
    }

    /// Calls one of `f` for every operand.
    #[inline]
    pub fn for_each_use(&self, mut f: impl FnMut(Value)) {
        match self {
            Inst::Const { .. } | Inst::Bool { .. } => {}
            Inst::Copy { src, .. } | Inst::Unary { src, .. } => f(*src),
            Inst::Load { addr, .. } => f(*addr),
            Inst::Store { addr, value, .. } => {
                f(*addr);
                f(*value)
            }
            Inst::Binary { a, b, .. } | Inst::Cmp { a, b, .. } => {
                f(*a);
                f(*b)
            }
            Inst::Select { cond, a, b, .. } => {
                f(*cond);
                f(*a);
                f(*b)
            }
            Inst::Call { args, .. } | Inst::CallHost { args, .. } => {
                args.iter().copied().for_each(f)
            }
        }
    }

    /// Rewrites every operand through `f`.
    pub fn map_uses(&mut self, mut f: impl FnMut(Value) -> Value) {
        match self {
            Inst::Const { .. } | Inst::Bool { .. } => {}
            Inst::Copy { src, .. } | Inst::Unary { src, .. } => *src = f(*src),
            Inst::Load { addr, .. } => *addr = f(*addr),
            Inst::Store { addr, value, .. } => {
                *addr = f(*addr);
                *value = f(*value)
            }
            Inst::Binary { a, b, .. } | Inst::Cmp { a, b, .. } => {
                *a = f(*a);
                *b = f(*b)
            }
            Inst::Select { cond, a, b, .. } => {
                *cond = f(*cond);
                *a = f(*a);
                *b = f(*b)
            }
            Inst::Call { args, .. } | Inst::CallHost { args, .. } => {
                args.iter_mut().for_each(|v| *v = f(*v))
            }
        }
    }

    /// Whether removing it (when its result is unused) changes behaviour. (Loads count:
    /// no pass moves or drops an access to memory.)
    #[inline]
    pub fn has_side_effects(&self) -> bool {
        matches!(
            self,
            Inst::Call { .. } | Inst::CallHost { .. } | Inst::Load { .. } | Inst::Store { .. }
        )
    }

    #[inline]
    pub fn is_call(&self) -> bool {
        matches!(self, Inst::Call { .. } | Inst::CallHost { .. })
    }
}

/// A jump target with the arguments for the block's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub block: Block,
    pub args: Vec<Value>,
}

impl Target {
    pub fn new(block: Block, args: Vec<Value>) -> Target {
        Target { block, args }
    }

    pub fn plain(block: Block) -> Target {
        Target {
            block,
            args: Vec::new(),
        }
    }
}

/// How a block ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Jump(Target),
    /// Branch on a bool value.
    Branch {
        cond: Value,
        then: Target,
        els: Target,
    },
    /// Compare and branch in one step (made by [`crate::passes::fuse_compare_branch`]).
    BranchCmp {
        op: Cmp,
        a: Value,
        b: Value,
        then: Target,
        els: Target,
    },
    /// `ok(a op b)` when the operation succeeds, else `fail`. `ok` has exactly one
    /// parameter, an i64, which receives the result.
    Checked {
        op: CheckedOp,
        a: Value,
        b: Value,
        ok: Block,
        fail: Target,
    },
    Return(Value),
    /// Continues at `landed` if the call whose result is `call` (the block's last
    /// instruction, a call of a function of the module) returned by
    /// [`Term::ReturnToLanding`], else at `normal`. The normal way costs nothing: the
    /// callee returns to the landing by another address, which the module's landing
    /// router ([`crate::module::Module::set_landing_router`]) finds from the return address.
    Landing {
        call: Value,
        landed: Target,
        normal: Target,
    },
    /// Returns `v` to the landing of the call ([`Term::Landing`]); where the call has
    /// none, as [`Term::Return`] does. (A rare way out — a result of another kind — that
    /// costs the common return nothing.)
    ReturnToLanding(Value),
}

impl Term {
    #[inline]
    pub fn for_each_use(&self, mut f: impl FnMut(Value)) {
        match self {
            Term::Jump(t) => t.args.iter().copied().for_each(f),
            Term::Branch { cond, then, els } => {
                f(*cond);
                then.args.iter().chain(&els.args).copied().for_each(f)
            }
            Term::BranchCmp {
                a, b, then, els, ..
            } => {
                f(*a);
                f(*b);
                then.args.iter().chain(&els.args).copied().for_each(f)
            }
            Term::Checked { a, b, fail, .. } => {
                f(*a);
                f(*b);
                fail.args.iter().copied().for_each(f)
            }
            Term::Landing {
                call,
                landed,
                normal,
            } => {
                f(*call);
                landed.args.iter().chain(&normal.args).copied().for_each(f)
            }
            Term::Return(v) | Term::ReturnToLanding(v) => f(*v),
        }
    }

    pub fn map_uses(&mut self, mut f: impl FnMut(Value) -> Value) {
        let targets = |t: &mut Target, f: &mut dyn FnMut(Value) -> Value| {
            t.args.iter_mut().for_each(|v| *v = f(*v))
        };
        match self {
            Term::Jump(t) => targets(t, &mut f),
            Term::Branch { cond, then, els } => {
                *cond = f(*cond);
                targets(then, &mut f);
                targets(els, &mut f)
            }
            Term::BranchCmp {
                a, b, then, els, ..
            } => {
                *a = f(*a);
                *b = f(*b);
                targets(then, &mut f);
                targets(els, &mut f)
            }
            Term::Checked { a, b, fail, .. } => {
                *a = f(*a);
                *b = f(*b);
                targets(fail, &mut f)
            }
            Term::Landing {
                call,
                landed,
                normal,
            } => {
                *call = f(*call);
                targets(landed, &mut f);
                targets(normal, &mut f)
            }
            Term::Return(v) | Term::ReturnToLanding(v) => *v = f(*v),
        }
    }

    /// Calls `f` for every edge that passes arguments (all but a checked operation's `ok`,
    /// which receives the result instead).
    #[inline]
    pub fn for_each_target(&self, mut f: impl FnMut(&Target)) {
        match self {
            Term::Jump(t) => f(t),
            Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                f(then);
                f(els)
            }
            Term::Checked { fail, .. } => f(fail),
            Term::Landing { landed, normal, .. } => {
                f(landed);
                f(normal)
            }
            Term::Return(_) | Term::ReturnToLanding(_) => {}
        }
    }

    /// [`Term::for_each_target`], mutably.
    pub fn for_each_target_mut(&mut self, mut f: impl FnMut(&mut Target)) {
        match self {
            Term::Jump(t) => f(t),
            Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                f(then);
                f(els)
            }
            Term::Checked { fail, .. } => f(fail),
            Term::Landing { landed, normal, .. } => {
                f(landed);
                f(normal)
            }
            Term::Return(_) | Term::ReturnToLanding(_) => {}
        }
    }

    /// The successor blocks, in order (`then` before `els`, `ok` before `fail`, `landed`
    /// before `normal`).
    #[inline]
    pub fn successors(&self) -> Successors {
        match self {
            Term::Jump(t) => Successors {
                blocks: [t.block, t.block],
                len: 1,
            },
            Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => Successors {
                blocks: [then.block, els.block],
                len: 2,
            },
            Term::Checked { ok, fail, .. } => Successors {
                blocks: [*ok, fail.block],
                len: 2,
            },
            Term::Landing { landed, normal, .. } => Successors {
                blocks: [landed.block, normal.block],
                len: 2,
            },
            Term::Return(_) | Term::ReturnToLanding(_) => Successors {
                blocks: [Block(0), Block(0)],
                len: 0,
            },
        }
    }

    /// Rewrites every successor block through `f`.
    pub fn map_blocks(&mut self, mut f: impl FnMut(Block) -> Block) {
        match self {
            Term::Jump(t) => t.block = f(t.block),
            Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                then.block = f(then.block);
                els.block = f(els.block)
            }
            Term::Checked { ok, fail, .. } => {
                *ok = f(*ok);
                fail.block = f(fail.block)
            }
            Term::Landing { landed, normal, .. } => {
                landed.block = f(landed.block);
                normal.block = f(normal.block)
            }
            Term::Return(_) | Term::ReturnToLanding(_) => {}
        }
    }
}

/// A terminator's successor blocks (at most two), without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Successors {
    blocks: [Block; 2],
    len: usize,
}

impl Successors {
    pub fn as_slice(&self) -> &[Block] {
        &self.blocks[..self.len]
    }
}

impl IntoIterator for Successors {
    type Item = Block;
    type IntoIter = core::iter::Take<core::array::IntoIter<Block, 2>>;
    fn into_iter(self) -> Self::IntoIter {
        self.blocks.into_iter().take(self.len)
    }
}

/// A basic block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockData {
    pub params: Vec<Value>,
    pub insts: Vec<Inst>,
    pub term: Term,
    /// The front end expects this block to run rarely (a check's unusual case that goes
    /// on, such as a negative index counted from the end): laid out after the hot path,
    /// like the blocks [`crate::cfg::cold`] finds itself (written `cold` after the
    /// block's parameters in the text form).
    pub cold: bool,
}

impl BlockData {
    /// The values the block defines: its parameters, then its instructions' results.
    pub fn defs(&self) -> impl Iterator<Item = Value> + '_ {
        self.params
            .iter()
            .copied()
            .chain(self.insts.iter().map(Inst::dst))
    }
}

/// A function's parameter and return types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Type>,
    pub ret: Type,
}

/// A function in SSA form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub sig: Signature,
    pub blocks: Vec<BlockData>,
    /// The type of every value, indexed by value number.
    pub value_types: Vec<Type>,
    /// The source site of calls that have one, by the call's result value (see [`Site`]).
    /// Code generation lists them with their return addresses ([`CallSite`](crate::codegen::CallSite)).
    pub sites: CallSites,
    /// The sites inlining made: [`Site::inlined`] `i` is a call at `inlined[i].0` inside a
    /// callee inlined at `inlined[i].1`.
    pub inlined: Vec<(Site, Site)>,
}

/// Where a call stands in the program the IR came from, so that a return address can be
/// traced back to source (a traceback, a profile): an id the front end chose, below
/// [`Site::INLINED`], or a site inlining made of two others. `Site(0)` is not a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Site(pub u32);

impl Site {
    /// Ids from here up are [`Function::inlined`] entries.
    pub const INLINED: u32 = 1 << 31;

    fn inlined(i: usize) -> Site {
        Site(Site::INLINED + i as u32)
    }
}

/// The sites of a function's calls by the call's result value, in value order (a sorted
/// list: calls are few, values are made in order, and it costs nothing when empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallSites(Vec<(Value, Site)>);

impl CallSites {
    pub fn get(&self, call: Value) -> Option<Site> {
        let i = self.0.binary_search_by_key(&call, |e| e.0).ok()?;
        Some(self.0[i].1)
    }

    pub fn insert(&mut self, call: Value, site: Site) {
        match self.0.binary_search_by_key(&call, |e| e.0) {
            Ok(i) => self.0[i].1 = site,
            Err(i) => self.0.insert(i, (call, site)),
        }
    }

    pub fn remove(&mut self, call: Value) -> Option<Site> {
        let i = self.0.binary_search_by_key(&call, |e| e.0).ok()?;
        Some(self.0.remove(i).1)
    }

    pub fn contains(&self, call: Value) -> bool {
        self.get(call).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// (call, site) in value order.
    pub fn iter(&self) -> impl Iterator<Item = (Value, Site)> + '_ {
        self.0.iter().copied()
    }
}

impl Function {
    /// The front end's sites a call site stands for, innermost first: one, or one per
    /// function inlined into another at it.
    pub fn site_chain(&self, site: Site) -> Vec<Site> {
        let mut out = Vec::new();
        let mut todo = alloc::vec![site];
        while let Some(s) = todo.pop() {
            match s.0.checked_sub(Site::INLINED) {
                Some(i) => {
                    let (inner, outer) = self.inlined[i as usize];
                    todo.push(outer);
                    todo.push(inner);
                }
                None => out.push(s),
            }
        }
        out
    }

    /// A new site: `inner` (a site of an inlined callee) inside the call at `outer`.
    pub fn inlined_site(&mut self, inner: Site, outer: Site) -> Site {
        self.inlined.push((inner, outer));
        Site::inlined(self.inlined.len() - 1)
    }

    pub fn block(&self, b: Block) -> &BlockData {
        &self.blocks[b.index()]
    }

    pub fn block_mut(&mut self, b: Block) -> &mut BlockData {
        &mut self.blocks[b.index()]
    }

    pub fn value_type(&self, v: Value) -> Type {
        self.value_types[v.index()]
    }

    pub fn num_values(&self) -> usize {
        self.value_types.len()
    }

    /// A fresh value of type `ty` (for passes that add instructions).
    pub fn new_value(&mut self, ty: Type) -> Value {
        self.value_types.push(ty);
        Value(self.value_types.len() as u32 - 1)
    }

    /// The number of instructions, terminators included: the size measure of benchmarks.
    pub fn inst_count(&self) -> usize {
        self.blocks.iter().map(|b| b.insts.len() + 1).sum()
    }
}
