//! Compare-and-branch fusion: `c = lt a, b; br c, X, Y` becomes `br_lt a, b, X, Y` when the
//! comparison's only use is that branch, so codegen emits `cmp; jl` instead of materialising
//! a bool and testing it.

use super::use_counts;
use crate::ir::*;

pub fn fuse_compare_branch(f: &mut Function) -> bool {
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
