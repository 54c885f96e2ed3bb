//! Dead-code elimination: unreachable blocks, instructions whose results nobody uses (calls
//! stay: they may have effects), and block parameters nobody uses (with their arguments).

use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

pub fn eliminate_dead_code(f: &mut Function) -> bool {
    let mut changed = merge_straight_line_blocks(f);
    changed |= remove_unreachable_blocks(f);
    changed |= remove_dead_instructions(f);
    if remove_unused_params(f) {
        // What fed the removed parameters is dead now too.
        remove_dead_instructions(f);
        changed = true;
    }
    changed
}

/// A block whose only predecessor jumps to it unconditionally is appended to that
/// predecessor (its parameters replaced by the jump's arguments); it is then unreachable.
/// Merging never changes how many edges reach a block, so the counts are taken once.
fn merge_straight_line_blocks(f: &mut Function) -> bool {
    let n = f.blocks.len();
    let mut incoming = vec![0u32; n];
    let mut pinned = vec![false; n];
    pinned[0] = true;
    for b in &f.blocks {
        for s in b.term.successors() {
            incoming[s.index()] += 1;
        }
        if let Term::Checked { ok, .. } = b.term {
            pinned[ok.index()] = true;
        }
    }
    let mut subst: Vec<Value> = Vec::new();
    let mut changed = false;
    for a in 0..n {
        while let Term::Jump(t) = &f.blocks[a].term {
            let b = t.block.index();
            if b == a || pinned[b] || incoming[b] != 1 {
                break;
            }
            let t = t.clone();
            if subst.is_empty() {
                subst = (0..f.num_values() as u32).map(Value).collect();
            }
            let params = core::mem::take(&mut f.blocks[b].params);
            for (p, arg) in params.iter().zip(&t.args) {
                subst[p.index()] = *arg;
            }
            let insts = core::mem::take(&mut f.blocks[b].insts);
            // b keeps only a self-jump; nothing reaches it any more.
            let term =
                core::mem::replace(&mut f.blocks[b].term, Term::Jump(Target::plain(t.block)));
            f.blocks[a].insts.extend(insts);
            f.blocks[a].term = term;
            incoming[b] = 0;
            changed = true;
        }
    }
    if changed {
        // Arguments may themselves be parameters of merged blocks: follow the chains.
        let resolved: Vec<Value> = (0..subst.len())
            .map(|i| {
                let mut v = Value(i as u32);
                while subst[v.index()] != v {
                    v = subst[v.index()];
                }
                v
            })
            .collect();
        super::map_all_uses(f, |v| resolved[v.index()]);
    }
    changed
}

/// Removes the blocks no path from the entry reaches (the rest renumbered in order).
pub(super) fn remove_unreachable_blocks(f: &mut Function) -> bool {
    let mut reachable = vec![false; f.blocks.len()];
    if super::may_loop(f) {
        // Depth first from the entry (no order needed: only which blocks).
        let mut work = vec![Block::ENTRY];
        reachable[0] = true;
        while let Some(b) = work.pop() {
            for s in f.block(b).term.successors() {
                if let Some(r) = reachable.get_mut(s.index())
                    && !*r
                {
                    *r = true;
                    work.push(s);
                }
            }
        }
    } else {
        // Every edge goes to a later block: one pass in block order.
        reachable[0] = true;
        for (b, data) in f.blocks.iter().enumerate() {
            if reachable[b] {
                for s in data.term.successors() {
                    if let Some(r) = reachable.get_mut(s.index()) {
                        *r = true;
                    }
                }
            }
        }
    }
    if reachable.iter().all(|&r| r) {
        return false;
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
    let mut i = 0;
    f.blocks.retain_mut(|b| {
        let keep = reachable[i];
        i += 1;
        if keep {
            b.term.map_blocks(|t| Block(new_index[t.index()]));
        }
        keep
    });
    true
}

fn remove_dead_instructions(f: &mut Function) -> bool {
    // Mark: values needed by terminators and effectful instructions, transitively, in
    // sweeps from the last instruction up. Without an edge back to an earlier block every
    // value is defined above its reads, so one sweep marks everything; otherwise sweeps
    // repeat until one marks nothing new.
    let mut live = vec![false; f.num_values()];
    let cyclic = super::may_loop(f);
    loop {
        let mut grew = false;
        for b in f.blocks.iter().rev() {
            b.term.for_each_use(|v| {
                grew |= !live[v.index()];
                live[v.index()] = true;
            });
            for i in b.insts.iter().rev() {
                let d = i.dst().index();
                if i.has_side_effects() {
                    grew |= !live[d];
                    live[d] = true;
                }
                if live[d] {
                    i.for_each_use(|v| {
                        grew |= !live[v.index()];
                        live[v.index()] = true;
                    });
                }
            }
        }
        if !cyclic || !grew {
            break;
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
    // Blocks whose parameter list is fixed: the entry (the signature) and `ok` blocks.
    let mut fixed = vec![false; f.blocks.len()];
    fixed[0] = true;
    for b in &f.blocks {
        if let Term::Checked { ok, .. } = b.term {
            fixed[ok.index()] = true;
        }
    }
    if f.blocks
        .iter()
        .enumerate()
        .all(|(bi, b)| fixed[bi] || b.params.is_empty())
    {
        return false;
    }
    // Most calls find every parameter read by something other than a jump argument: asked
    // first, with one flag per value (the full count below needs five tables).
    let mut read = vec![false; f.num_values()];
    for b in &f.blocks {
        for i in &b.insts {
            i.for_each_use(|v| read[v.index()] = true);
        }
        operands_besides_arguments(&b.term, |v| read[v.index()] = true);
    }
    if f.blocks
        .iter()
        .enumerate()
        .all(|(bi, b)| fixed[bi] || b.params.iter().all(|p| read[p.index()]))
    {
        return false;
    }
    // A parameter is live when something other than a jump argument uses it, or when it is
    // the argument of a live parameter: a loop-carried value that is only passed around
    // (a loop variable nobody reads after the loop) is dead with its whole cycle. First
    // decide, then strip every edge once. The parameters are numbered densely (`slot`),
    // and the rest is counted per parameter: few of a function's values are parameters.
    let mut slot = vec![u32::MAX; f.num_values()];
    // Per parameter: whether it is live whatever the rest is (fixed, or read other than as
    // a jump argument).
    let mut seed: Vec<bool> = Vec::with_capacity(f.blocks.iter().map(|b| b.params.len()).sum());
    for (bi, b) in f.blocks.iter().enumerate() {
        for p in &b.params {
            slot[p.index()] = seed.len() as u32;
            seed.push(fixed[bi] || read[p.index()]);
        }
    }
    let np = seed.len();
    let param = |v: Value| (slot[v.index()] != u32::MAX).then(|| slot[v.index()] as usize);
    // The arguments each parameter receives, in one list (parameter k's are
    // `args[start[k]..start[k + 1]]`).
    let mut start = vec![0u32; np + 1];
    for b in &f.blocks {
        b.term.for_each_target(|t| {
            for p in f.block(t.block).params.iter().take(t.args.len()) {
                start[slot[p.index()] as usize + 1] += 1;
            }
        });
    }
    for k in 0..np {
        start[k + 1] += start[k];
    }
    let mut fill = start.clone();
    let mut args = vec![Value(0); start[np] as usize];
    for b in &f.blocks {
        b.term.for_each_target(|t| {
            for (a, p) in t.args.iter().zip(&f.block(t.block).params) {
                let k = slot[p.index()] as usize;
                args[fill[k] as usize] = *a;
                fill[k] += 1;
            }
        });
    }
    let mut live = vec![false; np];
    let mut work: Vec<usize> = Vec::with_capacity(np);
    for k in 0..np {
        if seed[k] {
            live[k] = true;
            work.push(k);
        }
    }
    while let Some(k) = work.pop() {
        for &a in &args[start[k] as usize..start[k + 1] as usize] {
            if let Some(j) = param(a)
                && !live[j]
            {
                live[j] = true;
                work.push(j);
            }
        }
    }
    let mut dead: Vec<Vec<usize>> = vec![Vec::new(); f.blocks.len()];
    let mut changed = false;
    for (bi, b) in f.blocks.iter_mut().enumerate() {
        if fixed[bi] {
            continue;
        }
        let mut i = 0;
        b.params.retain(|p| {
            let keep = live[slot[p.index()] as usize];
            if !keep {
                dead[bi].push(i);
            }
            i += 1;
            keep
        });
        changed |= !dead[bi].is_empty();
    }
    if !changed {
        return false;
    }
    for b in &mut f.blocks {
        let strip = |t: &mut Target| {
            for &i in dead[t.block.index()].iter().rev() {
                t.args.remove(i);
            }
        };
        b.term.for_each_target_mut(strip);
    }
    true
}

/// The values `t` reads other than as arguments of the edges it takes.
fn operands_besides_arguments(t: &Term, mut f: impl FnMut(Value)) {
    match t {
        Term::Jump(_) => {}
        Term::Branch { cond, .. } => f(*cond),
        Term::BranchCmp { a, b, .. } | Term::Checked { a, b, .. } => {
            f(*a);
            f(*b);
        }
        Term::Landing { call, .. } => f(*call),
        Term::Return(v) | Term::ReturnToLanding(v) => f(*v),
    }
}
