//! Dead-code elimination: unreachable blocks, instructions whose results nobody uses (calls
//! stay: they may have effects), and block parameters nobody uses (with their arguments).

use crate::cfg::reverse_postorder;
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

pub fn eliminate_dead_code(f: &mut Function) -> bool {
    let mut changed = merge_straight_line_blocks(f);
    changed |= remove_unreachable_blocks(f);
    changed |= remove_dead_instructions(f);
    changed |= remove_unused_params(f);
    changed
}

/// A block whose only predecessor jumps to it unconditionally is appended to that
/// predecessor (its parameters replaced by the jump's arguments); it is then unreachable.
fn merge_straight_line_blocks(f: &mut Function) -> bool {
    let mut changed = false;
    loop {
        let preds = crate::cfg::predecessors(f);
        let mut ok_targets = vec![false; f.blocks.len()];
        for b in &f.blocks {
            if let Term::Checked { ok, .. } = b.term {
                ok_targets[ok.index()] = true;
            }
        }
        let found = (0..f.blocks.len()).find_map(|a| match &f.blocks[a].term {
            Term::Jump(t)
                if t.block.index() != a
                    && t.block != Block::ENTRY
                    && !ok_targets[t.block.index()]
                    && preds[t.block.index()] == [Block(a as u32)] =>
            {
                Some((a, t.clone()))
            }
            _ => None,
        });
        let Some((a, t)) = found else { return changed };
        let b = t.block.index();
        let params = core::mem::take(&mut f.blocks[b].params);
        let insts = core::mem::take(&mut f.blocks[b].insts);
        // The merged block now ends the way b did; b keeps a copy of its terminator but
        // nothing reaches it any more.
        let term = f.blocks[b].term.clone();
        f.blocks[a].insts.extend(insts);
        f.blocks[a].term = term;
        f.blocks[b].term = Term::Jump(Target::plain(t.block));
        let mut subst: Vec<Value> = (0..f.num_values() as u32).map(Value).collect();
        for (p, arg) in params.iter().zip(&t.args) {
            subst[p.index()] = *arg;
        }
        super::map_all_uses(f, |v| subst[v.index()]);
        changed = true;
    }
}

fn remove_unreachable_blocks(f: &mut Function) -> bool {
    let rpo = reverse_postorder(f);
    if rpo.len() == f.blocks.len() {
        return false;
    }
    let mut reachable = vec![false; f.blocks.len()];
    for b in &rpo {
        reachable[b.index()] = true;
    }
    // Renumber the survivors in their original order, so block0 stays the entry.
    let mut new_index = vec![u32::MAX; f.blocks.len()];
    let mut n = 0;
    for (i, r) in reachable.iter().enumerate() {
        if *r {
            new_index[i] = n;
            n += 1;
        }
    }
    let old = core::mem::take(&mut f.blocks);
    for (i, mut b) in old.into_iter().enumerate() {
        if reachable[i] {
            b.term.map_blocks(|t| Block(new_index[t.index()]));
            f.blocks.push(b);
        }
    }
    true
}

fn remove_dead_instructions(f: &mut Function) -> bool {
    // Mark: values needed by terminators and effectful instructions, transitively.
    let mut live = vec![false; f.num_values()];
    let mut work: Vec<Value> = Vec::new();
    let mut def_of: Vec<Option<(usize, usize)>> = vec![None; f.num_values()];
    for (bi, b) in f.blocks.iter().enumerate() {
        for (ii, i) in b.insts.iter().enumerate() {
            def_of[i.dst().index()] = Some((bi, ii));
            if i.has_side_effects() {
                i.for_each_use(|v| work.push(v));
                live[i.dst().index()] = true;
            }
        }
        b.term.for_each_use(|v| work.push(v));
    }
    while let Some(v) = work.pop() {
        if live[v.index()] {
            continue;
        }
        live[v.index()] = true;
        if let Some((bi, ii)) = def_of[v.index()] {
            f.blocks[bi].insts[ii].for_each_use(|u| work.push(u));
        }
    }
    let mut changed = false;
    for b in &mut f.blocks {
        let before = b.insts.len();
        b.insts.retain(|i| live[i.dst().index()]);
        changed |= b.insts.len() != before;
    }
    changed
}

fn remove_unused_params(f: &mut Function) -> bool {
    let uses = super::use_counts(f);
    // Blocks whose parameter list is fixed: the entry (the signature) and `ok` blocks.
    let mut fixed = vec![false; f.blocks.len()];
    fixed[0] = true;
    for b in &f.blocks {
        if let Term::Checked { ok, .. } = b.term {
            fixed[ok.index()] = true;
        }
    }
    let mut changed = false;
    for (bi, &is_fixed) in fixed.iter().enumerate().skip(1) {
        if is_fixed {
            continue;
        }
        // Uses of a parameter by the arguments of jumps back into its own block don't count
        // as uses of the value (a loop-carried value nobody reads is still dead)… but they do
        // appear in use_counts, so only parameters with zero uses go here; simple and safe.
        let dead: Vec<usize> = f.blocks[bi]
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| uses[p.index()] == 0)
            .map(|(i, _)| i)
            .collect();
        if dead.is_empty() {
            continue;
        }
        for &i in dead.iter().rev() {
            f.blocks[bi].params.remove(i);
        }
        let target = Block(bi as u32);
        for b in &mut f.blocks {
            let strip = |t: &mut Target| {
                if t.block == target {
                    for &i in dead.iter().rev() {
                        t.args.remove(i);
                    }
                }
            };
            match &mut b.term {
                Term::Jump(t) => strip(t),
                Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                    strip(then);
                    strip(els);
                }
                Term::Checked { fail, .. } => strip(fail),
                Term::Return(_) => {}
            }
        }
        changed = true;
    }
    changed
}
