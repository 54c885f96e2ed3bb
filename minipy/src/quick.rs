//! The interpreter's form of a code object ("quickening"): the bytecode turned into
//! register instructions over the frame, one per bytecode instruction.
//!
//! The stack depth before every instruction is fixed by the bytecode (the compiler emits
//! structured code, as CPython's does), so the operand stack needs no stack pointer at run
//! time: stack entry `d` is frame slot `nlocals + d`, and every instruction knows the slots
//! it reads and writes. `LOAD_FAST x; LOAD_CONST 1; BINARY_OP +; STORE_FAST y` becomes, at
//! its first instruction, `y = x + 1` ([`Kind::AddSK`] covering four instructions), a
//! compare followed by `POP_JUMP_IF_FALSE` one test-and-branch, an operation whose result
//! only feeds such a test part of it (`n % 2 == 0`), `LOAD_GLOBAL f; <n - 1>; CALL 1` one
//! call, `return a + b` one instruction, and a jump to a loop head does the head's work
//! itself. Such a fused instruction runs when its operands are ints and nothing can fail;
//! otherwise (a bool, an overflow, a zero divisor…) the interpreter runs just the first
//! bytecode instruction in the general way and carries on with the next, which is still
//! there: runs keep their length, so every jump target, traceback line and loop-entry pc
//! stays what the compiler made.
//!
//! A call's arguments are already in consecutive slots of the caller's frame; the
//! callee's frame starts at the first of them, so arguments are never copied. Slot
//! operands, jump targets and continuations are byte offsets, so the interpreter adds
//! them to its frame and instruction pointers as they are; it reads them unchecked, and
//! [`quicken`] checks once that each stays inside its frame or code object.

use crate::ast::{BinOp, CmpOp};
use crate::bytecode::{
    Code, Const, FORMAT_SPEC_ON_STACK, Instr, Op, method_values, print_keywords,
};
use crate::value;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// What an instruction does at run time; operands in [`QInstr`] (`s1`, `s2`: slots read,
/// `dst`: slot written — byte offsets into the frame once quickening is done, see
/// [`SLOT`]; `k`: an int constant, `opx`: a [`BinOp`] index or a [`cmp_mask`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// Only the general path ([`Code::instrs`] at this pc).
    Plain,
    /// Nothing happens at run time (`POP_TOP`, `NOP`: the depth is static).
    Skip,
    /// `dst = s1`, unless `s1` is unset (`LOAD_FAST`).
    LoadFast,
    /// `dst = s1` (`STORE_FAST`, `COPY`).
    Move,
    /// `dst = k`.
    LoadInt,
    /// `dst = k != 0` as a bool.
    LoadBool,
    /// `dst = None`.
    LoadNone,
    /// `dst = globals[s1]` unless unset.
    LoadGlobal,
    /// `dst = s1 op s2` on ints.
    BinSS,
    /// `dst = s1 op k`.
    BinSK,
    /// `dst = k op s1`.
    BinKS,
    /// `dst = s1 + k` (the commonest form, without the operator dispatch).
    AddSK,
    /// `dst = s1 + s2`.
    AddSS,
    /// `dst = s1 - k`.
    SubSK,
    /// `dst = s1 * k` (also `k * s1`).
    MulSK,
    /// `dst = s1 >> k`: floor division by `2**k`.
    ShrSK,
    /// `dst = s1 & k`: also modulo `k + 1`, a power of two.
    AndSK,
    /// `dst = s1 - s2`.
    SubSS,
    /// `dst = s1 * s2`.
    MulSS,
    /// `dst = s1 % s2`.
    ModSS,
    /// Unless `(s1 op s2) cmp dst`, jump to `target` (an operation whose result only feeds
    /// a test-and-branch: `d * d <= n`). `op` in `opx`, the comparison in `mask`.
    BinSSCmpS,
    /// Unless `(s1 op s2) cmp c`, jump; the small constant `c` is `dst` (as an i32).
    BinSSCmpK,
    /// Unless `(s1 op k) cmp dst`, jump.
    BinSKCmpS,
    /// Unless `(s1 op k) cmp c`, jump (`n % 2 == 0`).
    BinSKCmpK,
    /// `dst = (s1 op s2) op2 c`: an operation whose result only feeds the next one (`op2`
    /// in `mask`; the small constant `c` is `target`, as an i32).
    BinSSBinK,
    /// `dst = (s1 op k) op2 c`.
    BinSKBinK,
    /// `dst = s1 * k + c` (`3 * n + 1`; `c` is `target`, as an i32).
    MulAddSK,
    /// `dst = s1 cmp s2` as a bool.
    CmpSS,
    /// Unless `s1 cmp s2`, jump to `target`.
    CmpJfSS,
    /// Unless `s1 cmp k`, jump to `target`.
    CmpJfSK,
    /// Unless `s1` is true, jump to `target`.
    JumpIfFalse,
    /// If `s1` is true, jump to `target`.
    JumpIfTrue,
    /// Jump to `target` (forward).
    Jump,
    /// Jump to `target`, a loop head, counting turns for on-stack replacement (only
    /// when compiled code is on; else a [`Kind::Jump`]). `s1`: the loop's bit
    /// ([`loop_bit`]).
    JumpBack,
    /// [`Kind::JumpBack`] in the module code (the interpreter's own arm: a refused loop
    /// of the module code is a bit in a mask, `s1`, where a function's is its whole code
    /// object).
    ModuleJumpBack,
    /// The next value of the range whose state is in slots `s1..s1 + 3` into `dst`, or
    /// jump to `target` when done.
    ForRange,
    /// [`Kind::ForRange`] of a range whose step is 1 (`range(n)`, `range(a, b)`).
    ForRangeUp,
    /// Call the function in slot `s1` with the `s2` arguments after it.
    Call,
    /// Call the function in slot `s1` with the values of the iterable after it as
    /// arguments (`s2` = 1: and the dict after that as keyword arguments).
    CallEx,
    /// Call the function in slot `s1` with `s2 & 0xffff` positional arguments then
    /// `s2 >> 16` keyword values after it, named by interned string `k`.
    CallKw,
    /// `LOAD_GLOBAL; <s1 ± k>; CALL 1`: call global `s2` with `s1 + k` (a subtraction's
    /// `k` negated), the callee's slot being `dst` (when it is a function of one parameter
    /// and the argument an int).
    CallGlobalAdd,
    /// `LOAD_GLOBAL; LOAD_FAST s1; CALL 1`.
    CallGlobalL,
    /// Return `s1`.
    Return,
    /// Return `s1 + s2` (`BINARY_OP +; RETURN_VALUE`).
    AddSSRet,
    /// Return local `s1` unless it is unset (`LOAD_FAST; RETURN_VALUE`).
    ReturnLocal,
    /// [`Kind::CmpJfSK`] whose continuation is [`Kind::ReturnLocal`] of local `dst`
    /// (`if n < 2: return n`): returns it when the test holds.
    CmpRetSK,
    /// `dst = s1 + k8` ([`Kind::AddSK`]) whose continuation is the [`Kind::CmpJfSK`]
    /// `s2 opx k` `mask` instructions ahead (`steps += 1` before a loop's test): both.
    AddCmpJfSK,
    /// `globals[s2] = s1` (`STORE_GLOBAL`) of a global already bound that compiled code
    /// does not depend on.
    StoreGlobal,
    /// `LOAD_METHOD` of `append` (`k` 0) on a list or `get` (`k` 1) on a dict in `s1`:
    /// nothing to do but check.
    MethodOf,
    /// `s1.append(s2)` of a list; `dst` (= `s1`) gets None.
    Append,
    /// `s1.get(s2)` (`k` 1) or `s1.get(s2, s2 + 1)` (`k` 2) of a dict into `dst` (= `s1`).
    DictGet,
    /// `dst = s1[s2]` of a list or tuple and an int index inside it.
    Subscr,
    /// `s1[s2] = dst` of a list and an int index inside it.
    StoreSubscr,
    /// The next item of the list or tuple iterator in `s1` into `dst`, or jump to `target`
    /// when it is done (`FOR_ITER`).
    ForIter,
    /// A generator yields the value in `s1` to a pull that takes it where it is (`sum`,
    /// `any`…: [`crate::heap::Pull`]); else the general path leaves its frame.
    Yield,
}

/// `instrs` for the deepest frame CPython allows: every quickened comparison (alone or fused
/// with an operation) back to its bytecode instruction, whose general path checks the
/// depth (`value::compare_is_specialized`). The layout is the same instruction for
/// instruction, so jumps, return addresses and `at` stay valid.
pub fn for_deepest_frame(instrs: &[QInstr]) -> Vec<QInstr> {
    instrs
        .iter()
        .map(|&q| {
            let compares = matches!(
                q.kind,
                Kind::CmpSS
                    | Kind::CmpJfSS
                    | Kind::CmpJfSK
                    | Kind::CmpRetSK
                    | Kind::AddCmpJfSK
                    | Kind::BinSSCmpS
                    | Kind::BinSSCmpK
                    | Kind::BinSKCmpS
                    | Kind::BinSKCmpK
            );
            QInstr {
                kind: if compares { Kind::Plain } else { q.kind },
                ..q
            }
        })
        .collect()
}

/// An instruction as the interpreter runs it (32 bytes). Once quickening is done, `skip`
/// and `target` are in bytes (multiples of the size).
#[derive(Clone, Copy, Debug)]
pub struct QInstr {
    pub kind: Kind,
    pub opx: u8,
    /// The comparison ([`cmp_mask`]) of the fused operation-then-branch kinds; for
    /// [`Kind::AddCmpJfSK`], how many instructions its test is ahead.
    pub mask: u8,
    /// [`Kind::AddCmpJfSK`]'s increment.
    pub k8: i8,
    /// The fused form continues at `pc + skip` (pc: after this instruction; wrapping: a
    /// loop head copied into the jump to it continues behind the head).
    pub skip: u32,
    pub s1: u32,
    pub s2: u32,
    pub dst: u32,
    pub target: u32,
    pub k: i64,
}

const _: () = assert!(core::mem::size_of::<QInstr>() == 32);

/// Bytes per frame slot: [`QInstr`]'s slot operands are byte offsets, `slot * SLOT`.
pub const SLOT: u32 = core::mem::size_of::<value::Value>() as u32;

/// A code object as the interpreter runs it.
#[derive(Clone, Debug)]
pub struct Quick {
    pub instrs: Vec<QInstr>,
    /// For each of `instrs`, the bytecode instruction it stands for (its own pc, or the
    /// loop head it copies).
    pub at: Vec<u32>,
    /// For each bytecode instruction, the first free stack slot before it (`nlocals` +
    /// depth): what the general path works from.
    pub sd: Vec<u32>,
    /// Slots of a frame: locals, then the deepest operand stack.
    pub frame: u32,
    pub nparams: u32,
    pub nlocals: u32,
}

/// `x op y` on ints when it is an operation with an int fast path and cannot fail; None
/// sends the interpreter down the general path (which raises where Python would).
#[inline(always)]
pub fn int_bin(opx: u8, x: i64, y: i64) -> Option<i64> {
    match BinOp::ALL[opx as usize] {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::FloorDiv if y != 0 => value::floor_div(x, y),
        BinOp::Mod if y != 0 => Some(value::floor_mod(x, y)),
        BinOp::BitAnd => Some(x & y),
        BinOp::BitOr => Some(x | y),
        BinOp::BitXor => Some(x ^ y),
        BinOp::RShift if y >= 0 => Some(x >> y.min(63)),
        _ => None,
    }
}

/// A comparison as the set of orderings it accepts (bit 0: less, 1: equal, 2: greater),
/// so that testing it needs no dispatch on the operator.
pub fn cmp_mask(op: CmpOp) -> u8 {
    match op {
        CmpOp::Lt => 0b001,
        CmpOp::Le => 0b011,
        CmpOp::Gt => 0b100,
        CmpOp::Ge => 0b110,
        CmpOp::Eq => 0b010,
        CmpOp::Ne => 0b101,
    }
}

/// `x cmp y` for the comparison whose [`cmp_mask`] is `mask`.
#[inline(always)]
pub fn int_cmp(mask: u8, x: i64, y: i64) -> bool {
    let ordering = (x >= y) as u8 + (x > y) as u8;
    (mask >> ordering) & 1 != 0
}

impl Kind {
    /// `dst = s1 op k` with `op` in `opx` and `k` as `int_bin` takes them.
    pub fn arith_sk(self) -> bool {
        matches!(
            self,
            Kind::BinSK | Kind::AddSK | Kind::SubSK | Kind::MulSK | Kind::ShrSK | Kind::AndSK
        )
    }

    /// `dst = s1 op s2` with `op` in `opx`.
    pub fn arith_ss(self) -> bool {
        matches!(
            self,
            Kind::BinSS | Kind::AddSS | Kind::SubSS | Kind::MulSS | Kind::ModSS
        )
    }

    /// Continues at `pc + skip` or `target` when it runs quickened (never just at `pc`).
    pub fn jumps(self) -> bool {
        (self.has_target()
            && !matches!(
                self,
                Kind::JumpIfFalse
                    | Kind::JumpIfTrue
                    | Kind::Jump
                    | Kind::JumpBack
                    | Kind::ModuleJumpBack
                    | Kind::ForIter
            ))
            || self.arith_sk()
            || self.arith_ss()
            || matches!(
                self,
                Kind::BinKS
                    | Kind::CallGlobalAdd
                    | Kind::CallGlobalL
                    | Kind::BinSSBinK
                    | Kind::BinSKBinK
                    | Kind::MulAddSK
            )
    }

    /// Its `target` is a jump target (else unused, or a constant).
    pub fn has_target(self) -> bool {
        matches!(
            self,
            Kind::ForRange
                | Kind::ForRangeUp
                | Kind::CmpJfSK
                | Kind::CmpRetSK
                | Kind::AddCmpJfSK
                | Kind::CmpJfSS
                | Kind::BinSSCmpS
                | Kind::BinSSCmpK
                | Kind::BinSKCmpS
                | Kind::BinSKCmpK
                | Kind::JumpIfFalse
                | Kind::JumpIfTrue
                | Kind::Jump
                | Kind::JumpBack
                | Kind::ModuleJumpBack
                | Kind::ForIter
        )
    }
}

/// The kind for `slot op slot`.
fn ss_kind(op: BinOp) -> Kind {
    match op {
        BinOp::Add => Kind::AddSS,
        BinOp::Sub => Kind::SubSS,
        BinOp::Mul => Kind::MulSS,
        BinOp::Mod => Kind::ModSS,
        _ => Kind::BinSS,
    }
}

/// `slot op k` (a [`Kind::BinSK`]) as a kind of its own where there is one.
fn specialize_sk(q: &mut QInstr, op: BinOp, k: i64) {
    let pow2 = k > 0 && k & (k - 1) == 0;
    (q.kind, q.k) = match op {
        BinOp::Add => (Kind::AddSK, k),
        BinOp::Sub => (Kind::SubSK, k),
        BinOp::Mul => (Kind::MulSK, k),
        // Floor division and modulo by a power of two are a shift and a mask (also for
        // negative numbers: Python's floor semantics). `opx` says so too (for fusing).
        BinOp::FloorDiv if pow2 => {
            q.opx = BinOp::RShift as u8;
            (Kind::ShrSK, k.trailing_zeros() as i64)
        }
        BinOp::Mod if pow2 => {
            q.opx = BinOp::BitAnd as u8;
            (Kind::AndSK, k - 1)
        }
        BinOp::BitAnd => (Kind::AndSK, k),
        _ => (Kind::BinSK, k),
    };
}

/// How `i` changes the stack depth: on falling through to the next instruction (None: it
/// never does) and on its jump (target, change).
pub(crate) fn effect(i: Instr) -> (Option<i64>, Option<(u32, i64)>) {
    let (a, b) = (i.a as i64, i.b as i64);
    match i.op {
        Op::Nop | Op::UnaryNegative | Op::UnaryPositive | Op::UnaryInvert | Op::UnaryNot => {
            (Some(0), None)
        }
        Op::RotTwo | Op::RotThree => (Some(0), None),
        Op::LoadConst
        | Op::LoadFast
        | Op::LoadGlobal
        | Op::MakeFunction
        | Op::DupTop
        | Op::LoadDeref
        | Op::LoadClosure => (Some(1), None),
        Op::MakeCell | Op::DeleteDeref => (Some(0), None),
        Op::StoreDeref => (Some(-1), None),
        Op::MakeClosure => (Some(1 - (b & 0xffff) - (b >> 16)), None),
        Op::StoreFast | Op::StoreGlobal | Op::BinaryOp | Op::CompareOp | Op::PopTop => {
            (Some(-1), None)
        }
        Op::PopJumpIfFalse | Op::PopJumpIfTrue => (Some(-1), Some((i.a, -1))),
        Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => (Some(-1), Some((i.a, 0))),
        Op::JumpForward | Op::JumpBackward => (None, Some((i.a, 0))),
        Op::DeleteFast | Op::DeleteGlobal => (Some(0), None),
        Op::Call => (Some(-a), None),
        Op::CallPrint => (Some(1 - a - i64::from(print_keywords(i.b))), None),
        Op::CallBuiltin => (Some(1 - b), None),
        Op::RangeSetup => (Some(-b), None),
        Op::ForRange => (Some(1), Some((i.b, 0))),
        Op::ReturnValue | Op::RaiseConst | Op::UnpackNonIterable | Op::Raise => (None, None),
        Op::YieldValue => (Some(-1), None),
        Op::BuildList | Op::BuildTuple | Op::BuildSet => (Some(1 - a), None),
        Op::BinarySubscr => (Some(if b == 1 { -3 } else { -1 }), None),
        Op::StoreSubscr => (Some(if b == 1 { -5 } else { -3 }), None),
        Op::DeleteSubscr => (Some(if b == 1 { -4 } else { -2 }), None),
        Op::FormatValue => (Some(-i64::from(i.a & FORMAT_SPEC_ON_STACK != 0)), None),
        Op::GetIter | Op::LoadMethod | Op::LoadAttr => (Some(0), None),
        Op::BuildString => (Some(1 - a), None),
        Op::ForIter => (Some(1), Some((i.b, -1))),
        Op::UnpackSequence => (Some(a - 1), None),
        Op::UnpackEx => (Some(a + b), None),
        Op::ContainsOp | Op::IsOp | Op::ListAppend | Op::SetAdd | Op::ListExtend => {
            (Some(-1), None)
        }
        Op::CallFunctionEx => (Some(-1 - a), None),
        Op::DictMerge => (Some(-1), None),
        Op::CallKw => (Some(-((a & 0xffff) + (a >> 16))), None),
        Op::BuildMap => (Some(1 - 2 * a), None),
        Op::MapAdd => (Some(-2), None),
        Op::CallMethod => (Some(-(method_values(i.b) as i64)), None),
    }
}

/// The bit of loop head `head` of `code` (a [`Kind::JumpBack`]'s `s1`): its place among the
/// targets of the code's backward jumps, at most 63 (later loops share the last bit).
pub(crate) fn loop_bit(code: &Code, head: u32) -> u32 {
    let mut heads: Vec<u32> = code
        .instrs
        .iter()
        .filter(|i| i.op == Op::JumpBackward && i.a <= head)
        .map(|i| i.a)
        .collect();
    jit::sort::sort(&mut heads);
    heads.dedup();
    (heads.len() as u32).saturating_sub(1).min(63)
}

/// The operand stack depth before instruction `pc` of `code` (None where none reaches).
pub(crate) fn depth_at(code: &Code, pc: usize) -> Option<u32> {
    depths(code).0.get(pc).copied().flatten()
}

/// The operand stack depth before each instruction (None where none reaches), and the
/// deepest. The compiler's code always agrees where paths meet; anything else is a bug in
/// it, reported as such.
fn depths(code: &Code) -> (Vec<Option<u32>>, u32) {
    let n = code.instrs.len();
    let mut depth: Vec<Option<i64>> = vec![None; n];
    let mut work = vec![(0usize, 0i64)];
    let mut max = 0;
    while let Some((pc, d)) = work.pop() {
        if pc >= n {
            continue;
        }
        match depth[pc] {
            Some(seen) => {
                assert_eq!(
                    seen, d,
                    "internal error: {}: stack depths {seen} and {d} meet at instruction {pc}",
                    code.name
                );
                continue;
            }
            None => depth[pc] = Some(d),
        }
        let (fall, jump) = effect(code.instrs[pc]);
        for next in [
            fall.map(|e| (pc + 1, d + e)),
            jump.map(|(t, e)| (t as usize, d + e)),
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                next.1 >= 0,
                "internal error: {}: stack underflow",
                code.name
            );
            max = max.max(next.1);
            work.push(next);
        }
        // An instruction's own stack use can pass the depth after it (CALL_PRINT of none).
        max = max.max(d + 1);
    }
    (
        depth.iter().map(|d| d.map(|d| d as u32)).collect(),
        max as u32,
    )
}

/// The interpreter's form of `code` (of a program with `nglobals` globals); `osr`: loops
/// count their turns for on-stack replacement.
///
/// Each bytecode instruction first gets its own form ([`select`], which already fuses
/// operand pushes into the operation after them); then peephole passes fuse neighbours;
/// then every continuation and slot is checked (the interpreter trusts them) and turned
/// into a byte offset.
pub fn quicken(code: &Code, strings: &[String], nglobals: usize, osr: bool) -> Quick {
    let (depth, max) = depths(code);
    let nl = code.nlocals;
    let mut instrs: Vec<QInstr> = (0..code.instrs.len())
        .map(|i| select(code, strings, &depth, i, osr))
        .collect();
    fuse_small_constant_after(&mut instrs, nl);
    fuse_test_after(&mut instrs, nl);
    // Not with compiled code on: calls there go through `Vm::call`, which may run the
    // callee's machine code.
    if !osr {
        fuse_global_calls(&mut instrs);
    }
    fuse_returns(&mut instrs, nl);
    let at = jumps_do_loop_heads(&mut instrs);
    fuse_increment_test(&mut instrs);
    let frame = nl + max + 1;
    check_continuations(code, &instrs, &at);
    check_slots(code, &instrs, nglobals, frame);
    to_byte_offsets(&mut instrs);
    Quick {
        instrs,
        at,
        sd: (0..code.instrs.len())
            .map(|i| nl + depth[i].unwrap_or(0))
            .collect(),
        frame,
        nparams: code.nparams,
        nlocals: code.nlocals,
    }
}

/// The instruction at `i`, if there is one.
fn at(ins: &[Instr], i: usize) -> Option<Instr> {
    ins.get(i).copied()
}

/// `i` if it is an `op`.
fn is(i: Option<Instr>, op: Op) -> Option<Instr> {
    i.filter(|i| i.op == op)
}

/// The operand an instruction pushes, when it is a local slot or an int constant.
#[derive(Clone, Copy)]
enum Operand {
    Slot(u32),
    Int(i64),
}

fn operand(code: &Code, x: Option<Instr>) -> Option<Operand> {
    match x {
        Some(x) if x.op == Op::LoadFast => Some(Operand::Slot(x.a)),
        Some(x) if x.op == Op::LoadConst => match code.consts.get(x.a as usize) {
            Some(Const::Int(k)) => Some(Operand::Int(*k)),
            _ => None,
        },
        _ => None,
    }
}

/// `a <bin> b` then maybe STORE_FAST `after`: (dst, skip).
fn bin_end(after: Option<Instr>, stack_dst: u32, skip: u32) -> (u32, u32) {
    match is(after, Op::StoreFast) {
        Some(st) => (st.a, skip + 1),
        None => (stack_dst, skip),
    }
}

/// Instruction `i`'s own quickened form (a fused one when its operands' pushes start it).
fn select(code: &Code, strings: &[String], depth: &[Option<u32>], i: usize, osr: bool) -> QInstr {
    let ins = &code.instrs;
    let first = ins[i];
    let sd = code.nlocals + depth[i].unwrap_or(0);
    let mut q = QInstr {
        kind: Kind::Plain,
        opx: 0,
        mask: 0,
        k8: 0,
        skip: 0,
        s1: 0,
        s2: 0,
        dst: 0,
        target: 0,
        k: 0,
    };
    let Some(d) = depth[i] else {
        return q; // unreachable: never runs
    };
    let i1 = at(ins, i + 1);
    let top = sd.wrapping_sub(1);
    match first.op {
        Op::LoadFast | Op::LoadConst => {
            // Two operand pushes then an operation, or one push and an operation on the
            // value below it.
            let fused = match (operand(code, Some(first)), operand(code, i1)) {
                (Some(a), Some(b)) => fuse(ins, &mut q, i, a, b, i + 2, sd),
                (Some(b), None) if d >= 1 => {
                    fuse(ins, &mut q, i, Operand::Slot(top), b, i + 1, top)
                }
                _ => false,
            };
            if !fused || q.skip == 0 {
                q.skip = 0;
                q.opx = 0;
                match first.op {
                    Op::LoadFast if is(i1, Op::ReturnValue).is_some() => {
                        (q.kind, q.s1) = (Kind::ReturnLocal, first.a)
                    }
                    Op::LoadFast => (q.kind, q.s1, q.dst) = (Kind::LoadFast, first.a, sd),
                    _ => match code.consts.get(first.a as usize) {
                        Some(Const::Int(k)) => (q.kind, q.k, q.dst) = (Kind::LoadInt, *k, sd),
                        Some(Const::Bool(b)) => {
                            (q.kind, q.k, q.dst) = (Kind::LoadBool, *b as i64, sd)
                        }
                        Some(Const::None) => (q.kind, q.dst) = (Kind::LoadNone, sd),
                        _ => {}
                    },
                }
            }
        }
        Op::StoreFast => (q.kind, q.s1, q.dst) = (Kind::Move, top, first.a),
        Op::DupTop => (q.kind, q.s1, q.dst) = (Kind::Move, top, sd),
        Op::PopTop | Op::Nop => q.kind = Kind::Skip,
        Op::LoadGlobal => (q.kind, q.s1, q.dst) = (Kind::LoadGlobal, first.a, sd),
        Op::StoreGlobal => (q.kind, q.s1, q.s2) = (Kind::StoreGlobal, top, first.a),
        // The two methods a counting loop calls most; the rest take the general path.
        Op::LoadMethod => match strings.get(first.a as usize).map(String::as_str) {
            Some("append") => (q.kind, q.s1, q.k) = (Kind::MethodOf, top, 0),
            Some("get") => (q.kind, q.s1, q.k) = (Kind::MethodOf, top, 1),
            _ => {}
        },
        Op::CallMethod => {
            // `first.b`: the positional count alone (no key=/reverse= flags).
            let obj = sd.wrapping_sub(first.b + 1);
            match (strings.get(first.a as usize).map(String::as_str), first.b) {
                (Some("append"), 1) => {
                    (q.kind, q.s1, q.s2, q.dst) = (Kind::Append, obj, obj + 1, obj)
                }
                (Some("get"), 1 | 2) => {
                    (q.kind, q.s1, q.s2, q.dst) = (Kind::DictGet, obj, obj + 1, obj);
                    q.k = i64::from(first.b);
                }
                _ => {}
            }
        }
        Op::BinaryOp => {
            let (dst, skip) = bin_end(i1, sd - 2, 0);
            (q.s1, q.s2, q.dst, q.skip, q.opx) = (sd - 2, top, dst, skip, first.a as u8);
            q.kind = ss_kind(BinOp::ALL[first.a as usize]);
        }
        Op::CompareOp => {
            (q.s1, q.s2) = (sd - 2, top);
            q.opx = cmp_mask(CmpOp::ALL[first.a as usize]);
            match is(i1, Op::PopJumpIfFalse) {
                Some(j) => (q.kind, q.target, q.skip) = (Kind::CmpJfSS, j.a, 1),
                None => (q.kind, q.dst) = (Kind::CmpSS, sd - 2),
            }
        }
        Op::PopJumpIfFalse => (q.kind, q.s1, q.target) = (Kind::JumpIfFalse, top, first.a),
        Op::PopJumpIfTrue => (q.kind, q.s1, q.target) = (Kind::JumpIfTrue, top, first.a),
        Op::JumpForward => (q.kind, q.target) = (Kind::Jump, first.a),
        Op::JumpBackward => {
            q.kind = if osr { Kind::JumpBack } else { Kind::Jump };
            q.target = first.a;
            q.s1 = loop_bit(code, first.a);
        }
        Op::ForRange => {
            // The step is 1 unless range() was given three arguments.
            let up = ins
                .iter()
                .filter(|s| s.op == Op::RangeSetup && s.a == first.a)
                .all(|s| s.b < 3);
            q.kind = if up { Kind::ForRangeUp } else { Kind::ForRange };
            (q.s1, q.target) = (first.a, first.b);
            (q.dst, q.skip) = bin_end(i1, sd, 0);
        }
        Op::Call => {
            (q.kind, q.s1, q.s2) = (Kind::Call, sd - first.a - 1, first.a);
        }
        Op::CallFunctionEx => {
            (q.kind, q.s1, q.s2) = (Kind::CallEx, sd - 2 - first.a, first.a);
        }
        Op::CallKw => {
            let n = (first.a & 0xffff) + (first.a >> 16);
            (q.kind, q.s1, q.s2, q.k) = (Kind::CallKw, sd - n - 1, first.a, first.b as i64);
        }
        // (A generator's return leaves its frame: the general path.)
        Op::ReturnValue if code.generator => {}
        Op::ReturnValue => (q.kind, q.s1) = (Kind::Return, top),
        Op::YieldValue => (q.kind, q.s1) = (Kind::Yield, top),
        Op::ForIter => (q.kind, q.s1, q.dst, q.target) = (Kind::ForIter, top, sd, first.b),
        Op::BinarySubscr if first.b == 0 => {
            (q.kind, q.s1, q.s2, q.dst) = (Kind::Subscr, sd - 2, top, sd - 2)
        }
        Op::StoreSubscr if first.b == 0 => {
            (q.kind, q.s1, q.s2, q.dst) = (Kind::StoreSubscr, sd - 2, top, sd - 3)
        }
        _ => {}
    }
    q
}

/// Operands `a` and `b` pushed (starting at instruction `i`), then an operation at `next`
/// (`stack_dst`: the slot its result would be pushed to): fills `q` with the fused form
/// and says whether there was one (`q.skip` 0: the pair is not worth fusing).
fn fuse(
    ins: &[Instr],
    q: &mut QInstr,
    i: usize,
    a: Operand,
    b: Operand,
    next: usize,
    stack_dst: u32,
) -> bool {
    let (n0, n1) = (at(ins, next), at(ins, next + 1));
    if let Some(bin) = is(n0, Op::BinaryOp) {
        let (dst, skip) = bin_end(n1, stack_dst, (next - i) as u32);
        let op = BinOp::ALL[bin.a as usize];
        q.opx = bin.a as u8;
        q.dst = dst;
        q.skip = skip;
        match (a, b) {
            (Operand::Slot(x), Operand::Slot(y)) => {
                (q.s1, q.s2, q.kind) = (x, y, ss_kind(op));
            }
            (Operand::Slot(x), Operand::Int(k)) => {
                (q.s1, q.k, q.kind) = (x, k, Kind::BinSK);
                specialize_sk(q, op, k);
            }
            (Operand::Int(k), Operand::Slot(y)) => {
                (q.s1, q.k, q.kind) = (y, k, Kind::BinKS);
                // Commutative: as `y op k`.
                if matches!(op, BinOp::Add | BinOp::Mul | BinOp::BitAnd) {
                    q.kind = Kind::BinSK;
                    specialize_sk(q, op, k);
                }
            }
            (Operand::Int(_), Operand::Int(_)) => q.skip = 0,
        }
        return true;
    }
    if let (Some(cmp), Some(j)) = (is(n0, Op::CompareOp), is(n1, Op::PopJumpIfFalse)) {
        q.opx = cmp_mask(CmpOp::ALL[cmp.a as usize]);
        q.target = j.a;
        q.skip = (next + 1 - i) as u32;
        match (a, b) {
            (Operand::Slot(x), Operand::Slot(y)) => (q.s1, q.s2, q.kind) = (x, y, Kind::CmpJfSS),
            (Operand::Slot(x), Operand::Int(k)) => (q.s1, q.k, q.kind) = (x, k, Kind::CmpJfSK),
            _ => q.skip = 0,
        }
        return true;
    }
    false
}

/// An operation whose result (a stack temporary) only feeds the operation with a small
/// constant right after it: both in one instruction (when the first needs the general int
/// operation anyway, or as a multiply-add).
fn fuse_small_constant_after(instrs: &mut [QInstr], nl: u32) {
    for i in 0..instrs.len() {
        let q = instrs[i];
        let j = i + 1 + q.skip as usize;
        let Some(&o) = instrs.get(j) else { continue };
        if q.dst < nl || !o.kind.arith_sk() || o.s1 != q.dst {
            continue;
        }
        let (kind, c) = match (q.kind, o.kind) {
            (Kind::MulSK, Kind::AddSK) => (Kind::MulAddSK, o.k),
            (Kind::MulSK, Kind::SubSK) if o.k != i64::MIN => (Kind::MulAddSK, -o.k),
            (Kind::BinSS, _) => (Kind::BinSSBinK, o.k),
            (Kind::BinSK, _) => (Kind::BinSKBinK, o.k),
            _ => continue,
        };
        let Ok(c) = i32::try_from(c) else { continue };
        instrs[i] = QInstr {
            kind,
            mask: o.opx,
            target: c as u32,
            dst: o.dst,
            skip: q.skip + 1 + o.skip,
            ..q
        };
    }
}

/// An operation whose result (a stack temporary) only feeds the test-and-branch right
/// after it: both in one instruction. Should the test's operand not be an int, the fused
/// form fails as a whole and the two run separately.
fn fuse_test_after(instrs: &mut [QInstr], nl: u32) {
    for i in 0..instrs.len() {
        let q = instrs[i];
        let sk = q.kind.arith_sk();
        let j = i + 1 + q.skip as usize;
        if !(sk || q.kind.arith_ss()) || q.dst < nl || j >= instrs.len() {
            continue;
        }
        let c = instrs[j];
        let kind = match c.kind {
            Kind::CmpJfSS if c.s1 == q.dst && c.s2 != q.dst => {
                if sk {
                    Kind::BinSKCmpS
                } else {
                    Kind::BinSSCmpS
                }
            }
            Kind::CmpJfSK if c.s1 == q.dst && i32::try_from(c.k).is_ok() => {
                if sk {
                    Kind::BinSKCmpK
                } else {
                    Kind::BinSSCmpK
                }
            }
            _ => continue,
        };
        instrs[i] = QInstr {
            kind,
            mask: c.opx,
            skip: q.skip + 1 + c.skip,
            target: c.target,
            dst: if c.kind == Kind::CmpJfSS {
                c.s2
            } else {
                c.k as i32 as u32
            },
            ..q
        };
    }
}

/// A one-argument call of a global whose argument is one instruction: the three in one.
/// Should the global not be such a function (or the argument not an int), the fused form
/// gives up and the three run separately.
fn fuse_global_calls(instrs: &mut [QInstr]) {
    for i in 0..instrs.len() {
        let (g, a) = (instrs[i], instrs.get(i + 1).copied());
        let Some(a) = a.filter(|_| g.kind == Kind::LoadGlobal) else {
            continue;
        };
        let (kind, k) = match a.kind {
            Kind::AddSK => (Kind::CallGlobalAdd, a.k),
            // x - k overflows exactly when x + (-k) does.
            Kind::SubSK if a.k != i64::MIN => (Kind::CallGlobalAdd, -a.k),
            Kind::LoadFast => (Kind::CallGlobalL, 0),
            _ => continue,
        };
        let j = i + 2 + a.skip as usize;
        let Some(call) = instrs.get(j) else { continue };
        if a.dst != g.dst + 1 || call.kind != Kind::Call || call.s1 != g.dst || call.s2 != 1 {
            continue;
        }
        instrs[i] = QInstr {
            kind,
            k,
            s2: g.s1,
            dst: g.dst,
            skip: (j - i) as u32,
            ..a
        };
    }
}

/// `return a + b`: the sum goes straight to the caller. `if x < k: return y`: the test
/// returns.
fn fuse_returns(instrs: &mut [QInstr], nl: u32) {
    for i in 0..instrs.len() {
        let q = instrs[i];
        if q.kind == Kind::AddSS
            && q.dst >= nl
            && q.skip == 0
            && instrs
                .get(i + 1)
                .is_some_and(|r| r.kind == Kind::Return && r.s1 == q.dst)
        {
            instrs[i].kind = Kind::AddSSRet;
        }
    }
    for i in 0..instrs.len() {
        let q = instrs[i];
        if q.kind == Kind::CmpJfSK
            && let Some(&r) = instrs.get(i + 1 + q.skip as usize)
            && r.kind == Kind::ReturnLocal
        {
            instrs[i].kind = Kind::CmpRetSK;
            instrs[i].dst = r.s1;
        }
    }
}

/// A jump to a loop head whose quickened form continues explicitly (a range step, a
/// test-and-branch, a fused operation) does the head's work itself: one dispatch less per
/// turn. Returns, for each instruction, the bytecode instruction it stands for.
fn jumps_do_loop_heads(instrs: &mut [QInstr]) -> Vec<u32> {
    let mut at: Vec<u32> = (0..instrs.len() as u32).collect();
    for j in 0..instrs.len() {
        let t = instrs[j].target as usize;
        if instrs[j].kind != Kind::Jump || t >= instrs.len() || at[t] != t as u32 {
            continue;
        }
        let head = instrs[t];
        if head.kind.jumps() {
            instrs[j] = QInstr {
                skip: (t as u32 + head.skip).wrapping_sub(j as u32),
                ..head
            };
            at[j] = t as u32;
        }
    }
    at
}

/// `x += k` (a small k) going on at a test and branch — usually a loop head's, copied into
/// the jump back (`while n != 1: …; steps += 1`): the increment and the test in one
/// dispatch.
fn fuse_increment_test(instrs: &mut [QInstr]) {
    for i in 0..instrs.len() {
        let a = instrs[i];
        let t = i + 1 + a.skip as usize;
        if a.kind == Kind::AddSK
            && let Ok(k8) = i8::try_from(a.k)
            && let Ok(ahead) = u8::try_from(a.skip)
            && let Some(&c) = instrs.get(t)
            && c.kind == Kind::CmpJfSK
        {
            instrs[i] = QInstr {
                kind: Kind::AddCmpJfSK,
                opx: c.opx,
                mask: ahead,
                k8,
                s2: c.s1,
                k: c.k,
                target: c.target,
                skip: (t as u32).wrapping_add(c.skip).wrapping_sub(i as u32),
                ..a
            };
        }
    }
}

/// The interpreter fetches instructions unchecked: every pc an instruction can go on at
/// must be one.
fn check_continuations(code: &Code, instrs: &[QInstr], at: &[u32]) {
    let n = instrs.len();
    for (j, q) in instrs.iter().enumerate() {
        let (fall, jump) = effect(code.instrs[at[j] as usize]);
        let mut next = [None, None, None, None];
        next[0] = fall.map(|_| at[j] as usize + 1);
        next[1] = jump.map(|(t, _)| t as usize);
        if q.kind.jumps() || q.kind.has_target() {
            next[2] = Some((j as u32 + 1).wrapping_add(q.skip) as usize);
        }
        if q.kind.has_target() {
            next[3] = Some(q.target as usize);
        }
        assert!(
            next.iter().flatten().all(|&p| p < n),
            "internal error: {}: instruction {j} can go on past the end",
            code.name
        );
    }
}

/// The interpreter reads and writes slots and globals unchecked: each must be in the frame
/// (of `frame` slots) or among the `nglobals` globals.
fn check_slots(code: &Code, instrs: &[QInstr], nglobals: usize, frame: u32) {
    for q in instrs {
        let global = match q.kind {
            Kind::LoadGlobal => Some(q.s1),
            Kind::StoreGlobal => Some(q.s2),
            Kind::CallGlobalAdd | Kind::CallGlobalL => Some(q.s2),
            _ => None,
        };
        assert!(
            global.is_none_or(|g| (g as usize) < nglobals),
            "internal error: {}: global {global:?} of {nglobals}",
            code.name
        );
        assert!(
            q.slots().iter().all(|&s| s < frame),
            "internal error: {}: a slot past the frame",
            code.name
        );
    }
}

/// Slot operands, targets and continuations as byte offsets (the interpreter adds them to
/// its frame pointer and instruction pointers).
fn to_byte_offsets(instrs: &mut [QInstr]) {
    const INSTR: i32 = core::mem::size_of::<QInstr>() as i32;
    for q in instrs {
        q.skip = (q.skip as i32 * INSTR) as u32;
        if q.kind.has_target() {
            q.target *= INSTR as u32;
        }
        match q.kind {
            Kind::Plain | Kind::Skip | Kind::Jump | Kind::JumpBack | Kind::ModuleJumpBack => {}
            // s2: the number of arguments.
            Kind::Call | Kind::CallEx | Kind::CallKw => q.s1 *= SLOT,
            // dst: a constant.
            Kind::BinSSCmpK | Kind::BinSKCmpK => {
                q.s1 *= SLOT;
                q.s2 *= SLOT;
            }
            _ => {
                q.s1 *= SLOT;
                q.s2 *= SLOT;
                q.dst *= SLOT;
            }
        }
    }
}

impl QInstr {
    /// The frame slots this instruction reads or writes (before [`to_byte_offsets`]).
    fn slots(&self) -> Vec<u32> {
        let q = self;
        match q.kind {
            Kind::Plain | Kind::Skip | Kind::Jump | Kind::JumpBack | Kind::ModuleJumpBack => {
                vec![]
            }
            Kind::LoadInt | Kind::LoadBool | Kind::LoadNone => vec![q.dst],
            Kind::BinSSCmpS => vec![q.s1, q.s2, q.dst],
            Kind::BinSSCmpK => vec![q.s1, q.s2],
            Kind::BinSKCmpS => vec![q.s1, q.dst],
            Kind::BinSKCmpK => vec![q.s1],
            Kind::BinSSBinK => vec![q.s1, q.s2, q.dst],
            Kind::BinSKBinK | Kind::MulAddSK => vec![q.s1, q.dst],
            Kind::LoadGlobal => vec![q.dst],
            Kind::StoreGlobal | Kind::MethodOf => vec![q.s1],
            Kind::Append => vec![q.s1, q.s2, q.dst],
            Kind::DictGet => vec![q.s1, q.s2 + q.k as u32 - 1, q.dst],
            Kind::LoadFast
            | Kind::Move
            | Kind::BinSK
            | Kind::BinKS
            | Kind::AddSK
            | Kind::SubSK
            | Kind::MulSK
            | Kind::ShrSK
            | Kind::AndSK => vec![q.s1, q.dst],
            Kind::BinSS
            | Kind::AddSS
            | Kind::AddSSRet
            | Kind::SubSS
            | Kind::MulSS
            | Kind::ModSS
            | Kind::CmpSS => vec![q.s1, q.s2, q.dst],
            Kind::CmpJfSS | Kind::Subscr | Kind::StoreSubscr => vec![q.s1, q.s2, q.dst],
            Kind::ForIter => vec![q.s1, q.dst],
            Kind::CmpRetSK => vec![q.s1, q.dst],
            Kind::AddCmpJfSK => vec![q.s1, q.dst, q.s2],
            Kind::CmpJfSK
            | Kind::JumpIfFalse
            | Kind::JumpIfTrue
            | Kind::Return
            | Kind::ReturnLocal
            | Kind::Yield => vec![q.s1],
            Kind::ForRange | Kind::ForRangeUp => vec![q.s1 + 2, q.dst],
            Kind::Call => vec![q.s1 + q.s2],
            Kind::CallEx => vec![q.s1 + 1 + q.s2],
            Kind::CallKw => vec![q.s1 + (q.s2 & 0xffff) + (q.s2 >> 16)],
            Kind::CallGlobalAdd | Kind::CallGlobalL => vec![q.s1, q.dst + 1],
        }
    }
}
