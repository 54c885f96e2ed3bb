//! Compare-and-branch fusion: `c = lt a, b; br c, X, Y` becomes `br_lt a, b, X, Y` when the
//! comparison's only use is that branch, so codegen emits `cmp; jl` instead of materialising
//! a bool and testing it.

use super::use_counts;
use crate::ir::*;

pub fn fuse_compare_branch(f: &mut Function) -> bool {
    if !f
        .blocks
        .iter()
        .any(|b| matches!(b.term, Term::Branch { .. }))
    {
        return false;
    }
    let uses = use_counts(f);
    let mut changed = false;
    for b in &mut f.blocks {
        let Term::Branch { cond, then, els } = &b.term else {
            continue;
        };
        if uses[cond.index()] != 1 {
            continue;
        }
        let Some(pos) = b.insts.iter().position(|i| i.dst() == *cond) else {
            continue;
        };
        let Inst::Cmp { op, a, b: rhs, .. } = b.insts[pos] else {
            continue;
        };
        b.term = Term::BranchCmp {
            op,
            a,
            b: rhs,
            then: then.clone(),
            els: els.clone(),
        };
        b.insts.remove(pos);
        changed = true;
    }
    changed
}

/// A floor modulo whose result is only compared for (in)equality with zero becomes a
/// truncating remainder: one is zero exactly when the other is, and the remainder needs no
/// sign fix-up (`if n % d == 0` in a language with floor semantics). Both fail only on a
/// zero divisor.
pub fn remainder_tested_for_zero(f: &mut Function) -> bool {
    let floor_modulo = |b: &BlockData| {
        matches!(
            b.term,
            Term::Checked {
                op: CheckedOp::ModF,
                ..
            }
        )
    };
    if !f.blocks.iter().any(floor_modulo) {
        return false;
    }
    let consts = super::int_constants(f);
    let zero = |v: Value| consts.get(&v) == Some(&0);
    // Values read anywhere other than `x == 0` / `x != 0`.
    let mut other_use = alloc::vec![false; f.num_values()];
    let tested =
        |op: Cmp, a: Value, b: Value| matches!(op, Cmp::Eq | Cmp::Ne) && (zero(a) || zero(b));
    for b in &f.blocks {
        for i in &b.insts {
            match i {
                Inst::Cmp { op, a, b, .. } if tested(*op, *a, *b) => {}
                _ => i.for_each_use(|v| other_use[v.index()] = true),
            }
        }
        match &b.term {
            Term::BranchCmp {
                op,
                a,
                b: y,
                then,
                els,
            } if tested(*op, *a, *y) => {
                for v in then.args.iter().chain(&els.args) {
                    other_use[v.index()] = true;
                }
            }
            t => t.for_each_use(|v| other_use[v.index()] = true),
        }
    }
    let mut changed = false;
    for bi in 0..f.blocks.len() {
        let Term::Checked { op, ok, .. } = &f.blocks[bi].term else {
            continue;
        };
        let result = f.block(*ok).params[0];
        if *op == CheckedOp::ModF && !other_use[result.index()] {
            if let Term::Checked { op, .. } = &mut f.blocks[bi].term {
                *op = CheckedOp::RemT;
            }
            changed = true;
        }
    }
    changed
}
