//! Loop-invariant code motion: arithmetic whose operands a loop never changes, and
//! invariant loads ([`Inst::Load`]'s `invariant`) in loops that make no calls, move to the
//! one block that enters the loop.
//!
//! What moves can neither trap nor write (wrapping arithmetic, selects, copies, constants,
//! and loads the front end declared safe to take early), so it may run in the entering
//! block even when that block goes elsewhere instead. Comparisons stay where they are: they
//! feed branches, which code generation fuses with them.

use crate::cfg::{Dominators, Predecessors, natural_loops};
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
    let (preds, rpo) = (dom.preds(), dom.rpo());
    // Loops by header: the blocks of each (a natural loop per header, its back edges
    // merged), with (size, discovery index: the unique last key that keeps loops of one
    // size in the order found through the unstable sort).
    let mut loops: Vec<(Block, Vec<bool>, usize, usize)> = natural_loops(f, preds, dom, rpo)
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
        changed |= hoist_from(f, rpo, &body, entry);
    }
    changed
}

/// Separates loops that share a header: when one of the back edges into a header closes
/// a cycle that leaves some of the header's parameters unchanged which another back edge
/// changes, and that cycle computes something from them, the cycle is an inner loop with
/// invariant work, and gets a header of its own — a new block that takes over the header's
/// parameters and code, which the old header now only jumps to (LLVM's loop-simplify
/// separates nested loops so). A loop compiled for on-stack replacement is entered at an
/// inner loop's header, which then dominates the whole nest and merges its loops into one:
/// the outer ones' back edges and the inner one's all go to it. Says whether it split
/// one; the dominators are then stale.
pub fn separate_nested_loops(f: &mut Function, dom: &Dominators) -> bool {
    let (preds, rpo) = (dom.preds(), dom.rpo());
    for (h, body) in natural_loops(f, preds, dom, rpo) {
        let latches: Vec<Block> = preds
            .of(h)
            .iter()
            .copied()
            .filter(|&b| body[b.index()])
            .collect();
        if latches.len() < 2 {
            continue;
        }
        let Some(inner) = latches
            .iter()
            .copied()
            .find(|&l| worth_hoisting(f, preds, dom, h, l, &latches))
        else {
            continue;
        };
        // The new header: the old one's parameters (renamed everywhere) and code.
        let n = Block(f.blocks.len() as u32);
        let old: Vec<Value> = f.block(h).params.clone();
        let new: Vec<Value> = old
            .iter()
            .map(|&v| {
                let ty = f.value_type(v);
                f.new_value(ty)
            })
            .collect();
        let renamed = |v: Value| old.iter().position(|&o| o == v).map_or(v, |k| new[k]);
        for data in &mut f.blocks {
            data.insts.iter_mut().for_each(|i| i.map_uses(renamed));
            data.term.map_uses(renamed);
        }
        let insts = core::mem::take(&mut f.block_mut(h).insts);
        let term = core::mem::replace(
            &mut f.block_mut(h).term,
            Term::Jump(Target::new(n, old.clone())),
        );
        let cold = f.block(h).cold;
        f.blocks.push(BlockData {
            params: new,
            insts,
            term,
            cold,
        });
        f.block_mut(inner)
            .term
            .map_blocks(|b| if b == h { n } else { b });
        // (One split a call: the loops found are stale now.)
        return true;
    }
    false
}

/// Whether the cycle that the back edge `inner` → `h` closes would, as a loop of its
/// own, have something to hoist that it cannot have now: an instruction of the cycle (not
/// a constant) or a branch whose operands the cycle never changes, one of them a parameter
/// of the header that this back edge passes on unchanged and another of `latches` changes. (A
/// loop whose every back edge changes everything — tail calls made jumps — or changes the
/// same things gains nothing from a header of its own, which costs a jump.)
fn worth_hoisting(
    f: &Function,
    preds: &Predecessors,
    dom: &Dominators,
    h: Block,
    inner: Block,
    latches: &[Block],
) -> bool {
    let cycle = cycle_through(f, preds, dom, h, inner);
    let passes = |l: Block, k: usize, p: Value| {
        let mut same = true;
        f.block(l).term.for_each_target(|t| {
            if t.block == h {
                same &= t.args.get(k) == Some(&p);
            }
        });
        same
    };
    let params = &f.block(h).params;
    let mut changes = vec![false; f.num_values()];
    let mut newly_fixed = vec![false; f.num_values()];
    for (k, &p) in params.iter().enumerate() {
        let kept = passes(inner, k, p);
        changes[p.index()] = !kept;
        newly_fixed[p.index()] = kept && latches.iter().any(|&l| !passes(l, k, p));
    }
    for (b, data) in f.blocks.iter().enumerate().filter(|&(b, _)| cycle[b]) {
        if b != h.index() {
            data.params.iter().for_each(|p| changes[p.index()] = true);
        }
        // (Constants never change, wherever they are made.)
        data.insts
            .iter()
            .filter(|i| !matches!(i, Inst::Const { .. } | Inst::Bool { .. }))
            .for_each(|i| changes[i.dst().index()] = true);
    }
    let fixed_gained = |visit: &mut UseVisitor| fixed_and_gained(&changes, &newly_fixed, visit);
    let cycle_blocks = || {
        f.blocks
            .iter()
            .enumerate()
            .filter(|&(b, _)| cycle[b])
            .map(|(_, data)| data)
    };
    let hoistable = cycle_blocks().flat_map(|data| data.insts.iter()).any(|i| {
        let movable = match i {
            Inst::Copy { .. } | Inst::Unary { .. } | Inst::Binary { .. } => true,
            Inst::Load { invariant, .. } => *invariant,
            _ => false,
        };
        movable && fixed_gained(&mut |g| i.for_each_use(g))
    });
    // (Or a branch on what the cycle never changes: unswitching's, once it is a loop.)
    hoistable
        || cycle_blocks().any(|data| match data.term {
            Term::Branch { cond, .. } => fixed_gained(&mut |g| g(cond)),
            Term::BranchCmp { a, b, .. } => fixed_gained(&mut |g| {
                g(a);
                g(b)
            }),
            _ => false,
        })
}

/// Calls its argument on each operand of an operation.
type UseVisitor<'a> = dyn FnMut(&mut dyn FnMut(Value)) + 'a;

/// Whether every operand `visit` names stays fixed (`changes` false), one of them newly.
fn fixed_and_gained(changes: &[bool], newly_fixed: &[bool], visit: &mut UseVisitor) -> bool {
    let (mut fixed, mut gained) = (true, false);
    visit(&mut |v| {
        fixed &= !changes[v.index()];
        gained |= newly_fixed[v.index()];
    });
    fixed && gained
}

/// The blocks of the cycle the back edge `latch` → `h` closes (those that reach `latch`
/// without passing `h`, and `h`).
fn cycle_through(
    f: &Function,
    preds: &Predecessors,
    dom: &Dominators,
    h: Block,
    latch: Block,
) -> Vec<bool> {
    let mut body = vec![false; f.blocks.len()];
    body[h.index()] = true;
    let mut work = vec![latch];
    while let Some(b) = work.pop() {
        if !body[b.index()] {
            body[b.index()] = true;
            work.extend(preds.of(b).iter().copied().filter(|p| dom.is_reachable(*p)));
        }
    }
    body
}

/// Gives every loop entered from several blocks outside it one block of its own to be
/// entered through (a preheader: the header's parameters, passed on), so that invariant
/// code and unswitched branches have a place before it. (A compiled loop entered from
/// the middle of a running function — on-stack replacement — is such a loop: entered
/// from the code before it and from the entry.) Says whether it added any; the
/// dominators are then stale.
pub fn insert_preheaders(f: &mut Function, dom: &Dominators) -> bool {
    let (preds, rpo) = (dom.preds(), dom.rpo());
    let mut added = false;
    for (h, body) in natural_loops(f, preds, dom, rpo) {
        let mut outside: Vec<Block> = preds
            .of(h)
            .iter()
            .copied()
            .filter(|p| !body[p.index()])
            .collect();
        outside.dedup();
        if outside.len() < 2 || h == Block::ENTRY {
            continue;
        }
        let p = Block(f.blocks.len() as u32);
        let params: Vec<Value> = f
            .block(h)
            .params
            .clone()
            .into_iter()
            .map(|v| {
                let ty = f.value_type(v);
                f.new_value(ty)
            })
            .collect();
        for &b in &outside {
            f.block_mut(b)
                .term
                .map_blocks(|t| if t == h { p } else { t });
        }
        f.blocks.push(BlockData {
            params: params.clone(),
            insts: Vec::new(),
            term: Term::Jump(Target::new(h, params)),
            cold: false,
        });
        added = true;
    }
    added
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
