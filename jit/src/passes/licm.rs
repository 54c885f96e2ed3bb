//! Loop-invariant code motion: arithmetic whose operands a loop never changes, and
//! invariant loads ([`Inst::Load`]'s `invariant`) in loops that make no calls, move to the
//! one block that enters the loop.
//!
//! What moves can neither trap nor write (wrapping arithmetic, selects, copies, constants,
//! and loads the front end declared safe to take early), so it may run in the entering
//! block even when that block goes elsewhere instead. Comparisons stay where they are: they
//! feed branches, which code generation fuses with them.

use crate::cfg::{Dominators, Predecessors, natural_loops, reverse_postorder};
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

/// Moves invariant instructions out of every loop with a single entering block, inner
/// loops first. Says whether anything moved.
pub fn hoist_invariants(f: &mut Function) -> bool {
    hoist_invariants_with(f, &Dominators::compute(f))
}

/// [`hoist_invariants`] with the function's dominators (which it leaves valid: it moves
/// instructions, never blocks or edges).
pub fn hoist_invariants_with(f: &mut Function, dom: &Dominators) -> bool {
    let preds = Predecessors::compute(f);
    let rpo = reverse_postorder(f);
    // Loops by header: the blocks of each (a natural loop per header, its back edges
    // merged), with (size, discovery index: the unique last key that keeps loops of one
    // size in the order found through the unstable sort).
    let mut loops: Vec<(Block, Vec<bool>, usize, usize)> = natural_loops(f, &preds, dom, &rpo)
        .into_iter()
        .enumerate()
        .map(|(k, (h, body))| {
            let size = body.iter().filter(|&&x| x).count();
            (h, body, size, k)
        })
        .collect();
    crate::sort::sort_by_key(&mut loops, |l| (l.2, l.3));
    let mut changed = false;
    for (h, body, _, _) in loops {
        let mut outside = preds.of(h).iter().copied().filter(|p| !body[p.index()]);
        let Some(entry) = outside.next() else {
            continue;
        };
        if outside.any(|p| p != entry) {
            continue; // several ways in: no single block to put things in
        }
        if matches!(f.block(entry).term, Term::Landing { .. }) {
            continue; // its call must stay its last instruction
        }
        changed |= hoist_from(f, &rpo, &body, entry);
    }
    changed
}

/// Moves the invariant instructions of the loop `body` (blocks in `rpo` order) to the end
/// of `entry`.
fn hoist_from(f: &mut Function, rpo: &[Block], body: &[bool], entry: Block) -> bool {
    let calls = rpo
        .iter()
        .filter(|b| body[b.index()])
        .any(|&b| f.block(b).insts.iter().any(Inst::is_call));
    // Values the loop defines (params and results), less those moved out.
    let mut inside = vec![false; f.num_values()];
    for &b in rpo.iter().filter(|b| body[b.index()]) {
        let data = f.block(b);
        data.params.iter().for_each(|p| inside[p.index()] = true);
        data.insts
            .iter()
            .for_each(|i| inside[i.dst().index()] = true);
    }
    let mut moved = Vec::new();
    for &b in rpo.iter().filter(|b| body[b.index()]) {
        let insts = core::mem::take(&mut f.blocks[b.index()].insts);
        let mut kept = Vec::with_capacity(insts.len());
        for i in insts {
            let movable = match &i {
                Inst::Const { .. }
                | Inst::Bool { .. }
                | Inst::Copy { .. }
                | Inst::Unary { .. }
                | Inst::Binary { .. }
                | Inst::Select { .. } => true,
                Inst::Load { invariant, .. } => *invariant && !calls,
                _ => false,
            };
            let mut operands_outside = true;
            i.for_each_use(|v| operands_outside &= !inside[v.index()]);
            if movable && operands_outside {
                inside[i.dst().index()] = false;
                moved.push(i);
            } else {
                kept.push(i);
            }
        }
        f.blocks[b.index()].insts = kept;
    }
    let any = !moved.is_empty();
    f.blocks[entry.index()].insts.extend(moved);
    any
}
