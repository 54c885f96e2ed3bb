//! Constant folding (with the algebraic identities that make operations copies) and copy
//! propagation.

use super::map_all_uses;
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone, Copy, PartialEq)]
enum Known {
    Int(i64),
    Bool(bool),
}

impl Known {
    fn bits(self) -> i64 {
        match self {
            Known::Int(v) => v,
            Known::Bool(b) => b as i64,
        }
    }
}

fn known_values(f: &Function) -> Vec<Option<Known>> {
    let mut k = vec![None; f.num_values()];
    for b in &f.blocks {
        for i in &b.insts {
            match i {
                Inst::Const { dst, value } => k[dst.index()] = Some(Known::Int(*value)),
                Inst::Bool { dst, value } => k[dst.index()] = Some(Known::Bool(*value)),
                _ => {}
            }
        }
    }
    k
}

/// Replaces operations on constants by constants, operations with an identity operand by
/// copies, and branches and checked operations on constants by jumps.
pub fn fold_constants(f: &mut Function) -> bool {
    let mut known = known_values(f);
    let widened = widened_bools(f, &known);
    let mut changed = false;
    for bi in 0..f.blocks.len() {
        for ii in 0..f.blocks[bi].insts.len() {
            let inst = &f.blocks[bi].insts[ii];
            let dst = inst.dst();
            if let Some(new) = fold_inst(inst, &known, &widened) {
                match new {
                    Inst::Const { value, .. } => known[dst.index()] = Some(Known::Int(value)),
                    Inst::Bool { value, .. } => known[dst.index()] = Some(Known::Bool(value)),
                    _ => {}
                }
                f.blocks[bi].insts[ii] = new;
                changed = true;
            }
        }
        if let Some(t) = fold_term(f, bi, &mut known) {
            f.blocks[bi].term = t;
            changed = true;
        }
    }
    changed
}

/// Values that are `select(c, 1, 0)`: a bool widened to 0/1, keyed to the bool.
fn widened_bools(f: &Function, known: &[Option<Known>]) -> Vec<Option<Value>> {
    let mut widened: Vec<Option<Value>> = vec![None; f.num_values()];
    for b in &f.blocks {
        for i in &b.insts {
            if let Inst::Select { dst, cond, a, b } = i
                && known[a.index()].map(Known::bits) == Some(1)
                && known[b.index()].map(Known::bits) == Some(0)
            {
                widened[dst.index()] = Some(*cond);
            }
        }
    }
    widened
}

/// What `inst` folds to, if anything.
fn fold_inst(inst: &Inst, known: &[Option<Known>], widened: &[Option<Value>]) -> Option<Inst> {
    let k = |v: &Value| known[v.index()];
    let dst = inst.dst();
    match inst {
        Inst::Copy { src, .. } => k(src).map(|c| constant(dst, c)),
        Inst::Unary { op, src, .. } => k(src).map(|c| match (op, c) {
            (UnOp::Neg, c) => Inst::Const {
                dst,
                value: c.bits().wrapping_neg(),
            },
            (UnOp::Not, Known::Bool(b)) => Inst::Bool { dst, value: !b },
            (UnOp::Not, Known::Int(v)) => Inst::Const { dst, value: !v },
        }),
        Inst::Binary { op, a, b, .. } => match (k(a), k(b)) {
            (Some(x), Some(y)) => Some(Inst::Const {
                dst,
                value: op.eval(x.bits(), y.bits()),
            }),
            (x, y) => identity(*op, *a, *b, x.map(Known::bits), y.map(Known::bits), dst),
        },
        Inst::Cmp { op, a, b, .. } => match (k(a), k(b)) {
            (Some(x), Some(y)) => Some(Inst::Bool {
                dst,
                value: op.eval(x.bits(), y.bits()),
            }),
            _ if a == b => Some(Inst::Bool {
                dst,
                value: matches!(op, Cmp::Eq | Cmp::Le | Cmp::Ge | Cmp::Ule | Cmp::Uge),
            }),
            // select(c, 1, 0) != 0 is c; == 0 is not c.
            (None, Some(Known::Int(0))) if matches!(op, Cmp::Ne | Cmp::Eq) => {
                widened.get(a.index()).copied().flatten().map(|c| {
                    if *op == Cmp::Ne {
                        Inst::Copy { dst, src: c }
                    } else {
                        Inst::Unary {
                            dst,
                            op: UnOp::Not,
                            src: c,
                        }
                    }
                })
            }
            _ => None,
        },
        Inst::Select { cond, a, b, .. } => match k(cond) {
            Some(c) => Some(Inst::Copy {
                dst,
                src: if c.bits() != 0 { *a } else { *b },
            }),
            None if a == b => Some(Inst::Copy { dst, src: *a }),
            None => None,
        },
        _ => None,
    }
}

/// What block `bi`'s terminator folds to, if anything (new constants go into `known`).
fn fold_term(f: &mut Function, bi: usize, known: &mut Vec<Option<Known>>) -> Option<Term> {
    if matches!(f.blocks[bi].term, Term::Jump(_) | Term::Return(_)) {
        return None;
    }
    let k = |v: &Value, known: &[Option<Known>]| known[v.index()].map(Known::bits);
    let term = f.blocks[bi].term.clone();
    match &term {
        Term::Branch { cond, then, els } => {
            k(cond, known).map(|c| Term::Jump(if c != 0 { then.clone() } else { els.clone() }))
        }
        Term::BranchCmp {
            op,
            a,
            b,
            then,
            els,
        } => match (k(a, known), k(b, known)) {
            (Some(x), Some(y)) => Some(Term::Jump(if op.eval(x, y) {
                then.clone()
            } else {
                els.clone()
            })),
            _ => None,
        },
        // Floor division and modulo by a positive power of two cannot fail and are a shift
        // and a mask (floor semantics match the arithmetic shift exactly).
        Term::Checked {
            op: op @ (CheckedOp::DivF | CheckedOp::ModF),
            a,
            b,
            ok,
            ..
        } if k(b, known).is_some_and(|d| d > 0 && (d & (d - 1)) == 0) && k(a, known).is_none() => {
            let d = k(b, known).unwrap_or(1);
            let (bop, c) = if *op == CheckedOp::DivF {
                (BinOp::Sar, d.trailing_zeros() as i64)
            } else {
                (BinOp::And, d - 1)
            };
            let cv = f.new_value(Type::I64);
            known.push(Some(Known::Int(c)));
            let r = f.new_value(Type::I64);
            known.push(None);
            f.blocks[bi].insts.push(Inst::Const { dst: cv, value: c });
            f.blocks[bi].insts.push(Inst::Binary {
                dst: r,
                op: bop,
                a: *a,
                b: cv,
            });
            Some(Term::Jump(Target::new(*ok, vec![r])))
        }
        Term::Checked { op, a, b, ok, fail } => match (k(a, known), k(b, known)) {
            (Some(x), Some(y)) => Some(match op.eval(x, y) {
                Some(r) => {
                    let v = f.new_value(Type::I64);
                    known.push(Some(Known::Int(r)));
                    f.blocks[bi].insts.push(Inst::Const { dst: v, value: r });
                    Term::Jump(Target::new(*ok, vec![v]))
                }
                None => Term::Jump(fail.clone()),
            }),
            _ => None,
        },
        _ => None,
    }
}

fn constant(dst: Value, c: Known) -> Inst {
    match c {
        Known::Int(value) => Inst::Const { dst, value },
        Known::Bool(value) => Inst::Bool { dst, value },
    }
}

/// `x + 0`, `x * 1`, `x * 0`, `x & -1`, `x << 0`, … : a copy or a constant.
fn identity(
    op: BinOp,
    a: Value,
    b: Value,
    ka: Option<i64>,
    kb: Option<i64>,
    dst: Value,
) -> Option<Inst> {
    let copy = |src| Some(Inst::Copy { dst, src });
    let zero = Some(Inst::Const { dst, value: 0 });
    match (op, ka, kb) {
        (BinOp::Add | BinOp::Or | BinOp::Xor, Some(0), _) => copy(b),
        (
            BinOp::Add | BinOp::Sub | BinOp::Or | BinOp::Xor | BinOp::Shl | BinOp::Sar | BinOp::Shr,
            _,
            Some(0),
        ) => copy(a),
        (BinOp::Mul, Some(1), _) | (BinOp::And, Some(-1), _) => copy(b),
        (BinOp::Mul, _, Some(1)) | (BinOp::And, _, Some(-1)) => copy(a),
        (BinOp::Mul | BinOp::And, Some(0), _) | (BinOp::Mul | BinOp::And, _, Some(0)) => zero,
        (BinOp::Sub | BinOp::Xor, _, _) if a == b => zero,
        (BinOp::And | BinOp::Or, _, _) if a == b => copy(a),
        _ => None,
    }
}

/// Replaces every use of a copy by its source and deletes the copies.
pub fn propagate_copies(f: &mut Function) -> bool {
    let is_copy = |i: &Inst| matches!(i, Inst::Copy { .. });
    if !f.blocks.iter().any(|b| b.insts.iter().any(is_copy)) {
        return false;
    }
    let mut root: Vec<Value> = (0..f.num_values() as u32).map(Value).collect();
    for b in &f.blocks {
        for i in &b.insts {
            if let Inst::Copy { dst, src } = i {
                root[dst.index()] = *src;
            }
        }
    }
    // Chains (v3 = copy v2, v2 = copy v1) resolve to the first non-copy.
    let resolve = |mut v: Value| {
        while root[v.index()] != v {
            v = root[v.index()];
        }
        v
    };
    let resolved: Vec<Value> = (0..root.len() as u32).map(|i| resolve(Value(i))).collect();
    map_all_uses(f, |v| resolved[v.index()]);
    for b in &mut f.blocks {
        b.insts.retain(|i| !matches!(i, Inst::Copy { .. }));
    }
    true
}

/// Block parameters that always receive the same value (ignoring the parameter itself, passed
/// around a loop) are replaced by that value, and dropped with their arguments: SSA's phi
/// simplification. Constants then reach the blocks that test them.
pub fn simplify_block_params(f: &mut Function) -> bool {
    if f.blocks.iter().skip(1).all(|b| b.params.is_empty()) {
        return false;
    }
    let n = f.blocks.len();
    // Per parameter value: what arrives. None: nothing yet; Some(v): only v so far (or the
    // parameter itself); MANY: two different values.
    const MANY: Value = Value(u32::MAX);
    let mut arriving: Vec<Option<Value>> = vec![None; f.num_values()];
    let mut fixed = vec![false; n];
    fixed[0] = true;
    let mut has_pred = vec![false; n];
    for b in &f.blocks {
        let mut record = |t: &Target| {
            has_pred[t.block.index()] = true;
            for (p, &a) in f.blocks[t.block.index()].params.iter().zip(&t.args) {
                let slot = &mut arriving[p.index()];
                *slot = match *slot {
                    _ if a == *p => *slot,
                    None => Some(a),
                    Some(v) if v == a => Some(v),
                    _ => Some(MANY),
                };
            }
        };
        match &b.term {
            Term::Jump(t) => record(t),
            Term::Branch { then, els, .. }
            | Term::BranchCmp { then, els, .. }
            | Term::Landing {
                landed: then,
                normal: els,
                ..
            } => {
                record(then);
                record(els)
            }
            Term::Checked { ok, fail, .. } => {
                fixed[ok.index()] = true;
                record(fail)
            }
            Term::Return(_) | Term::ReturnToLanding(_) => {}
        }
    }
    // Most calls find nothing to drop: asked before anything is allocated for it.
    let droppable = |bi: usize, p: &Value| {
        !fixed[bi] && has_pred[bi] && arriving[p.index()].is_some_and(|u| u != MANY)
    };
    if !(0..n).any(|bi| f.blocks[bi].params.iter().any(|p| droppable(bi, p))) {
        return false;
    }
    let mut root: Vec<Value> = (0..f.num_values() as u32).map(Value).collect();
    let mut dropped: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (bi, drop) in dropped.iter_mut().enumerate() {
        for (i, p) in f.blocks[bi].params.iter().enumerate() {
            if droppable(bi, p) {
                root[p.index()] = arriving[p.index()].expect("droppable");
                drop.push(i);
            }
        }
    }
    let resolve = |mut v: Value| {
        let mut steps = 0;
        while root[v.index()] != v && steps < root.len() {
            v = root[v.index()];
            steps += 1;
        }
        v
    };
    let resolved: Vec<Value> = (0..root.len() as u32).map(|i| resolve(Value(i))).collect();
    for (bi, drop) in dropped.iter().enumerate() {
        for &i in drop.iter().rev() {
            f.blocks[bi].params.remove(i);
        }
    }
    for b in &mut f.blocks {
        let strip = |t: &mut Target| {
            for &i in dropped[t.block.index()].iter().rev() {
                t.args.remove(i);
            }
        };
        b.term.for_each_target_mut(strip);
    }
    map_all_uses(f, |v| resolved[v.index()]);
    true
}
