//! Superinstructions for the interpreter ("quickening"). Each code object's bytecode is
//! copied once into [`QInstr`]s; where a common run of instructions starts — `LOAD_FAST x;
//! LOAD_CONST 1; BINARY_OP +; STORE_FAST x`, `LOAD_FAST n; LOAD_CONST 1; COMPARE_OP !=;
//! POP_JUMP_IF_FALSE`, `FOR_RANGE; STORE_FAST i` — the first one also carries a fused form that does the whole run in
//! one dispatch when its operands are ints and nothing can fail. Otherwise (a bool, an
//! overflow, a zero divisor…) the interpreter runs just the first instruction as usual and
//! carries on with the next, which is still there: the runs keep their length, so every
//! jump target, traceback line and loop-entry pc stays what the compiler made.

use super::ast::{BinOp, CmpOp};
use super::bytecode::{Code, Const, Instr, Op};
use super::value;
use alloc::vec::Vec;

/// What a fused instruction does (operands in [`QInstr`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fused {
    None,
    /// push local `l1` op `k`
    LfLcBin,
    /// local `l2` = local `l1` op `k`
    LfLcBinSt,
    /// push local `l1` op local `l2`
    LfLfBin,
    /// local `l3` = local `l1` op local `l2`
    LfLfBinSt,
    /// push `k` op local `l1`
    LcLfBin,
    /// top = top op `k`
    LcBin,
    /// local `l1` = pop op `k`
    LcBinSt,
    /// jump to `target` unless local `l1` cmp `k`
    LfLcCmpJf,
    /// jump to `target` unless local `l1` cmp local `l2`
    LfLfCmpJf,
    /// jump to `target` unless pop cmp `k`
    LcCmpJf,
    /// jump to `target` unless (pop2) a cmp b
    CmpJf,
    /// jump to `target` unless pop cmp local `l1`
    LfCmpJf,
    /// the next value of the range in locals `a`.. into local `l1`, or jump to `b`
    ForRangeSt,
}

/// An instruction as the interpreter runs it: the original (`op`, `a`, `b`) and, at the
/// start of a fusable run, its fused form covering `1 + skip` instructions.
#[derive(Clone, Copy, Debug)]
pub struct QInstr {
    pub op: Op,
    pub a: u32,
    pub b: u32,
    pub fused: Fused,
    pub skip: u32,
    /// BinOp or CmpOp index.
    pub opx: u8,
    pub l1: u32,
    pub l2: u32,
    pub l3: u32,
    pub target: u32,
    pub k: i64,
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
        _ => None,
    }
}

#[inline(always)]
pub fn int_cmp(opx: u8, x: i64, y: i64) -> bool {
    value::ordered(CmpOp::ALL[opx as usize], &x, &y)
}

/// The quickened copy of `code`.
pub fn quicken(code: &Code) -> Vec<QInstr> {
    let ins = &code.instrs;
    let at = |i: usize| ins.get(i).copied();
    let int_const = |i: &Instr| match code.consts.get(i.a as usize) {
        Some(Const::Int(k)) if i.op == Op::LoadConst => Some(*k),
        _ => None,
    };
    let is = |i: Option<Instr>, op: Op| i.filter(|i| i.op == op);
    (0..ins.len())
        .map(|i| {
            let first = ins[i];
            let mut q = QInstr {
                op: first.op,
                a: first.a,
                b: first.b,
                fused: Fused::None,
                skip: 0,
                opx: 0,
                l1: 0,
                l2: 0,
                l3: 0,
                target: 0,
                k: 0,
            };
            let (i1, i2, i3) = (at(i + 1), at(i + 2), at(i + 3));
            let k1 = i1.as_ref().and_then(int_const);
            let k0 = int_const(&first);
            let mut set = |f: Fused, skip: u32| {
                q.fused = f;
                q.skip = skip;
            };
            match first.op {
                Op::LoadFast => {
                    q.l1 = first.a;
                    let lf2 = is(i1, Op::LoadFast);
                    if let (Some(k), Some(bin)) = (k1, is(i2, Op::BinaryOp)) {
                        (q.k, q.opx) = (k, bin.a as u8);
                        match is(i3, Op::StoreFast) {
                            Some(st) => {
                                q.l2 = st.a;
                                set(Fused::LfLcBinSt, 3);
                            }
                            None => set(Fused::LfLcBin, 2),
                        }
                    } else if let (Some(l2), Some(bin)) = (lf2, is(i2, Op::BinaryOp)) {
                        (q.l2, q.opx) = (l2.a, bin.a as u8);
                        match is(i3, Op::StoreFast) {
                            Some(st) => {
                                q.l3 = st.a;
                                set(Fused::LfLfBinSt, 3);
                            }
                            None => set(Fused::LfLfBin, 2),
                        }
                    } else if let (Some(k), Some(cmp), Some(j)) =
                        (k1, is(i2, Op::CompareOp), is(i3, Op::PopJumpIfFalse))
                    {
                        (q.k, q.opx, q.target) = (k, cmp.a as u8, j.a);
                        set(Fused::LfLcCmpJf, 3);
                    } else if let (Some(l2), Some(cmp), Some(j)) =
                        (lf2, is(i2, Op::CompareOp), is(i3, Op::PopJumpIfFalse))
                    {
                        (q.l2, q.opx, q.target) = (l2.a, cmp.a as u8, j.a);
                        set(Fused::LfLfCmpJf, 3);
                    } else if let (Some(cmp), Some(j)) =
                        (is(i1, Op::CompareOp), is(i2, Op::PopJumpIfFalse))
                    {
                        (q.opx, q.target) = (cmp.a as u8, j.a);
                        set(Fused::LfCmpJf, 2);
                    }
                }
                Op::LoadConst if k0.is_some() => {
                    q.k = k0.unwrap_or(0);
                    if let (Some(lf), Some(bin)) = (is(i1, Op::LoadFast), is(i2, Op::BinaryOp)) {
                        (q.l1, q.opx) = (lf.a, bin.a as u8);
                        set(Fused::LcLfBin, 2);
                    } else if let Some(bin) = is(i1, Op::BinaryOp) {
                        q.opx = bin.a as u8;
                        match is(i2, Op::StoreFast) {
                            Some(st) => {
                                q.l1 = st.a;
                                set(Fused::LcBinSt, 2);
                            }
                            None => set(Fused::LcBin, 1),
                        }
                    } else if let (Some(cmp), Some(j)) =
                        (is(i1, Op::CompareOp), is(i2, Op::PopJumpIfFalse))
                    {
                        (q.opx, q.target) = (cmp.a as u8, j.a);
                        set(Fused::LcCmpJf, 2);
                    }
                }
                Op::ForRange => {
                    if let Some(st) = is(i1, Op::StoreFast) {
                        q.l1 = st.a;
                        set(Fused::ForRangeSt, 1);
                    }
                }
                Op::CompareOp => {
                    if let Some(j) = is(i1, Op::PopJumpIfFalse) {
                        (q.opx, q.target) = (first.a as u8, j.a);
                        set(Fused::CmpJf, 1);
                    }
                }
                _ => {}
            }
            q
        })
        .collect()
}
