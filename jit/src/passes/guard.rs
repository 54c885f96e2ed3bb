//! Overflow checks that a dominating comparison already rules out. On the edge taken when
//! `x < y`, `x + 1` cannot overflow (`x < y ≤ i64::MAX`); when `x ≥ 2`, neither can `x - 2`.
//! The checked operation becomes a plain one and a jump — the shape of every counted
//! loop's increment (`for i in range(n)`) and of `fib(n - 1)` after `if n < 2: return n`.
//! A condition counts when it guards the edge into a block reached only through a chain of
//! single-predecessor blocks, so it holds on every path to the operation.

use crate::cfg::Predecessors;
use crate::ir::*;

/// How far up a chain of single-predecessor blocks to look for a guarding condition.
const MAX_CHAIN: usize = 16;

/// Whether `x op k` (an add or sub of the constant `k`) cannot overflow given `x c y`,
/// where `y` is the constant `ky` if known.
fn safe(op: CheckedOp, k: i64, c: Cmp, ky: Option<i64>) -> bool {
    // The change to x, as an add.
    let d = match op {
        CheckedOp::Add => k,
        CheckedOp::Sub => match k.checked_neg() {
            Some(d) => d,
            None => return false,
        },
        _ => return false,
    };
    match (c, ky) {
        // x < y ≤ MAX: x + 1 ≤ MAX (and x > y ≥ MIN: x - 1 ≥ MIN). With y a known
        // constant the bound is y itself: x < y gives x + d ≤ y - 1 + d, fine while that
        // fits, and so on.
        (Cmp::Lt, None) => d == 1,
        (Cmp::Gt, None) => d == -1,
        (Cmp::Lt, Some(y)) => d > 0 && y.checked_sub(1).and_then(|b| b.checked_add(d)).is_some(),
        (Cmp::Le, Some(y)) => d > 0 && y.checked_add(d).is_some(),
        (Cmp::Gt, Some(y)) => d < 0 && y.checked_add(1).and_then(|b| b.checked_add(d)).is_some(),
        (Cmp::Ge, Some(y)) => d < 0 && y.checked_add(d).is_some(),
        _ => false,
    }
}

pub fn drop_guarded_overflow_checks(f: &mut Function) -> bool {
    if !f.blocks.iter().any(|b| {
        matches!(
            b.term,
            Term::Checked {
                op: CheckedOp::Add | CheckedOp::Sub,
                ..
            }
        )
    }) {
        return false;
    }
    let consts = super::int_constants(f);
    let mut cmps: super::ValueMap<(Cmp, Value, Value)> = super::ValueMap::new(f);
    for b in &f.blocks {
        for i in &b.insts {
            if let Inst::Cmp { dst, op, a, b } = *i {
                cmps.insert(dst, (op, a, b));
            }
        }
    }
    let preds = Predecessors::compute(f);
    // The condition known on the edge p → b (as `a c b`), if p branches on one.
    let edge_cond = |f: &Function, p: usize, b: usize| -> Option<(Cmp, Value, Value)> {
        let (c, a, y, then, els) = match &f.blocks[p].term {
            Term::Branch { cond, then, els } => {
                let &(c, a, y) = cmps.get(cond)?;
                (c, a, y, then.block.index(), els.block.index())
            }
            Term::BranchCmp {
                op,
                a,
                b: y,
                then,
                els,
            } => (*op, *a, *y, then.block.index(), els.block.index()),
            _ => return None,
        };
        match (then == b, els == b) {
            (true, false) => Some((c, a, y)),
            (false, true) => Some((c.inverse(), a, y)),
            _ => None,
        }
    };
    let mut changed = false;
    for bi in 1..f.blocks.len() {
        let Term::Checked {
            op,
            a: x,
            b: kv,
            ok,
            ..
        } = f.blocks[bi].term
        else {
            continue;
        };
        let Some(&k) = consts.get(&kv) else {
            continue;
        };
        let (mut cur, mut guarded) = (bi, false);
        for _ in 0..MAX_CHAIN {
            let &[p] = preds.of(Block(cur as u32)) else {
                break;
            };
            if p.index() == cur || p.index() == bi {
                break;
            }
            if let Some((c, a, y)) = edge_cond(f, p.index(), cur) {
                let known = if a == x {
                    Some((c, consts.get(&y).copied()))
                } else if y == x {
                    Some((c.swapped(), consts.get(&a).copied()))
                } else {
                    None
                };
                if let Some((c, ky)) = known
                    && safe(op, k, c, ky)
                {
                    guarded = true;
                    break;
                }
            }
            cur = p.index();
        }
        if !guarded {
            continue;
        }
        let bop = if op == CheckedOp::Add {
            BinOp::Add
        } else {
            BinOp::Sub
        };
        unchecked(f, bi, bop, x, kv, ok);
        changed = true;
    }
    changed
}

/// Ends block `bi` with the plain `a op b` passed to `ok` (instead of a checked operation).
fn unchecked(f: &mut Function, bi: usize, op: BinOp, a: Value, b: Value, ok: Block) {
    let dst = f.new_value(Type::I64);
    let blk = &mut f.blocks[bi];
    blk.insts.push(Inst::Binary { dst, op, a, b });
    blk.term = Term::Jump(Target::new(ok, alloc::vec![dst]));
}
