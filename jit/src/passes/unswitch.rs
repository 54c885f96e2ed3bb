//! Loop unswitching: a branch inside a loop whose condition the loop never changes is
//! taken once, before the loop, which is copied — one copy for each way the branch goes,
//! each without the branch (the way it does not go becomes dead code, removed after).
//!
//! A front end emits such branches where a value's representation is only known at run
//! time and stays fixed while the loop runs: a dynamic language's runtime asks in every
//! turn whether an array keeps machine ints or tagged values, and after unswitching the
//! loop that reads an array of ints has no question left in it (and the loads and stores
//! that were behind a join of both ways fold into one addressing mode). LLVM's `SimpleLoopUnswitch` and GCC's
//! `-funswitch-loops` do this; so does LuaJIT in effect, by recording one trace per kind.
//!
//! Only innermost loops without calls qualify (what a call may change is not invariant),
//! entered from one block outside (by a jump, or a branch whose edge gets a block of its
//! own), whose values are read after the loop only through the arguments of its exits or
//! past the exits into one block that dominates every such read and is entered only from
//! the loop (which then takes them as parameters from both copies), and only a branch
//! both of whose ways stay in the loop. Copies are bounded: a loop of at most
//! [`MAX_LOOP`] instructions, at most [`MAX_GROWTH`] instructions added to a function.

use super::dce::remove_unreachable_blocks;
use crate::cfg::{Dominators, Predecessors, natural_loops};
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

/// The largest loop (instructions and terminators) copied.
const MAX_LOOP: usize = 64;

/// The most instructions unswitching adds to one function.
const MAX_GROWTH: usize = 192;

/// A loop to unswitch and the branch to take out of it.
struct Candidate {
    /// The loop's blocks, in reverse postorder.
    blocks: Vec<Block>,
    header: Block,
    /// The one block outside the loop that enters it.
    entry: Block,
    /// The block whose terminator branches on something invariant.
    at: Block,
    /// Values of the loop read after it, and the edge they leave by (see [`escaping`]).
    out: Option<Escape>,
}

/// The loop's values read outside it, which leave by the edges into `to` — from `froms`,
/// all in the loop: nothing else enters `to`, which dominates every such read. The copy
/// leaves by the same edges, so `to` gets a parameter for each, and the reads read those.
struct Escape {
    froms: Vec<Block>,
    to: Block,
    values: Vec<Value>,
}

/// Unswitches innermost loops on invariant branches (see the module), again on the copies
/// while the budget lasts. Says whether anything changed; the dominators of the function
/// are then stale, and the copies' dead instructions and parameters are left for
/// [`super::eliminate_dead_code`].
pub fn unswitch_loops(f: &mut Function) -> bool {
    unswitch_loops_with(f, &Dominators::compute(f))
}

/// [`unswitch_loops`] with the function's dominators as they are now (used until the
/// first copy changes the blocks).
///
/// Works in rounds: each copies every loop it can that does not touch another copied in
/// the same round (their blocks, entries and exits apart, neither reading the other's
/// values), so that the function's graphs are found again once per round, not per loop.
pub fn unswitch_loops_with(f: &mut Function, dom: &Dominators) -> bool {
    let mut grown = 0;
    let mut changed = false;
    let mut dom = Some(dom);
    loop {
        let round = find(f, dom.take(), MAX_GROWTH - grown);
        if round.is_empty() {
            return changed;
        }
        for c in &round {
            grown += size(f, &c.blocks);
            unswitch(f, c);
        }
        // The copies' dead ways go now, so that a second branch in them is measured as
        // they are (the rest of dead-code elimination once, by the caller).
        remove_unreachable_blocks(f);
        changed = true;
    }
}

/// Instructions and terminators of `blocks`.
fn size(f: &Function, blocks: &[Block]) -> usize {
    blocks.iter().map(|&b| f.block(b).insts.len() + 1).sum()
}

/// The loops worth unswitching (see the module) whose copies fit in `budget`, none
/// touching another (see [`unswitch_loops_with`]).
fn find(f: &Function, dom: Option<&Dominators>, budget: usize) -> Vec<Candidate> {
    let mut computed = None;
    let dom = crate::cfg::dominators_of(f, dom, &mut computed);
    let (preds, rpo) = (dom.preds(), dom.rpo());
    let loops = natural_loops(f, preds, dom, rpo);
    let headers: Vec<Block> = loops.iter().map(|l| l.0).collect();
    let mut taken: Vec<Candidate> = Vec::new();
    // Blocks the round's copies change, values they define and values they read.
    let mut busy = vec![false; f.blocks.len()];
    let mut defined = vec![false; f.num_values()];
    let mut read = vec![false; f.num_values()];
    let mut left = budget;
    for (h, body) in &loops {
        let innermost = headers.iter().all(|&o| o == *h || !body[o.index()]);
        if !innermost {
            continue;
        }
        let Some(c) = candidate(f, preds, dom, rpo, *h, body, left) else {
            continue;
        };
        let mut mine = c.blocks.clone();
        mine.push(c.entry);
        mine.extend(c.out.as_ref().map(|e| e.to));
        let (mut uses, mut defs) = (Vec::new(), Vec::new());
        for &b in &c.blocks {
            let data = f.block(b);
            data.insts
                .iter()
                .for_each(|i| i.for_each_use(|v| uses.push(v)));
            data.term.for_each_use(|v| uses.push(v));
            defs.extend(data.defs());
        }
        let apart = mine.iter().all(|b| !busy[b.index()])
            && uses.iter().all(|v| !defined[v.index()])
            && defs.iter().all(|v| !read[v.index()]);
        if !apart {
            continue;
        }
        mine.iter().for_each(|b| busy[b.index()] = true);
        uses.iter().for_each(|v| read[v.index()] = true);
        defs.iter().for_each(|v| defined[v.index()] = true);
        left -= size(f, &c.blocks);
        taken.push(c);
    }
    taken
}

/// Loop `h` (blocks `body`) as a [`Candidate`], if it is one.
fn candidate(
    f: &Function,
    preds: &Predecessors,
    dom: &Dominators,
    rpo: &[Block],
    h: Block,
    body: &[bool],
    budget: usize,
) -> Option<Candidate> {
    let blocks: Vec<Block> = rpo.iter().copied().filter(|b| body[b.index()]).collect();
    let size: usize = blocks.iter().map(|&b| f.block(b).insts.len() + 1).sum();
    if size > MAX_LOOP.min(budget) {
        return None;
    }
    let entry = entering(f, preds, h, body)?;
    let mut inside = vec![false; f.num_values()];
    let mut def_block = vec![Block::ENTRY; f.num_values()];
    for &b in &blocks {
        let data = f.block(b);
        if data.insts.iter().any(Inst::is_call) || matches!(data.term, Term::Landing { .. }) {
            return None;
        }
        for v in data.defs() {
            inside[v.index()] = true;
            def_block[v.index()] = b;
        }
    }
    let at = blocks.iter().copied().find(|&b| {
        let t = &f.block(b).term;
        let invariant = match t {
            Term::Branch { cond, .. } => !inside[cond.index()],
            Term::BranchCmp { a, b, .. } => !inside[a.index()] && !inside[b.index()],
            _ => false,
        };
        let s = t.successors();
        let ways = s.as_slice();
        invariant && ways[0] != ways[1] && ways.iter().all(|w| body[w.index()])
    })?;
    // (Asked last: it reads the whole function.)
    let out = escaping(f, preds, dom, body, &inside, &def_block)?;
    Some(Candidate {
        blocks,
        header: h,
        entry,
        at,
        out,
    })
}

/// The one block outside loop `h` (blocks `body`) that enters it, by one edge, and not
/// by a checked operation's or a call's edge (an entering branch gets a block of its own
/// on the edge, which those cannot).
pub(super) fn entering(
    f: &Function,
    preds: &Predecessors,
    h: Block,
    body: &[bool],
) -> Option<Block> {
    let mut outside = preds.of(h).iter().copied().filter(|p| !body[p.index()]);
    let entry = outside.next()?;
    let edges = f.block(entry).term.successors();
    let one = outside.all(|p| p == entry)
        && !matches!(
            f.block(entry).term,
            Term::Checked { .. } | Term::Landing { .. }
        )
        && edges.into_iter().filter(|&s| s == h).count() == 1;
    one.then_some(entry)
}

/// The loop's values read outside it (exits' arguments carry others): None when they
/// cannot be handed on (see [`Escape`]), Some(None) when there are none.
fn escaping(
    f: &Function,
    preds: &Predecessors,
    dom: &Dominators,
    body: &[bool],
    inside: &[bool],
    def_block: &[Block],
) -> Option<Option<Escape>> {
    let mut values: Vec<Value> = Vec::new();
    let mut readers: Vec<Block> = Vec::new();
    for (bi, data) in f.blocks.iter().enumerate() {
        if body[bi] || !dom.is_reachable(Block(bi as u32)) {
            continue;
        }
        let before = values.len();
        let mut note = |v: Value| {
            if inside[v.index()] {
                values.push(v);
            }
        };
        data.insts.iter().for_each(|i| i.for_each_use(&mut note));
        data.term.for_each_use(&mut note);
        if values.len() > before {
            readers.push(Block(bi as u32));
        }
    }
    if values.is_empty() {
        return Some(None);
    }
    crate::sort::sort(&mut values);
    values.dedup();
    // The exit whose target dominates every reader, entered only from the loop, by edges
    // that carry arguments (a checked operation's `ok` edge carries only its result), from
    // blocks where every value read is defined.
    let to = body
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b)
        .flat_map(|(bi, _)| f.block(Block(bi as u32)).term.successors())
        .find(|&s| !body[s.index()] && readers.iter().all(|&r| dom.dominates(s, r)))?;
    let mut froms = preds.of(to).to_vec();
    crate::sort::sort(&mut froms);
    froms.dedup();
    let fit = |&from: &Block| {
        body[from.index()]
            && !matches!(f.block(from).term, Term::Checked { ok, .. } if ok == to)
            && values
                .iter()
                .all(|v| dom.dominates(def_block[v.index()], from))
    };
    if !froms.iter().all(fit) {
        return None;
    }
    Some(Some(Escape { froms, to, values }))
}

/// Copies the loop; the original keeps the branch's first way, the copy its second, and
/// the entering block asks the branch's question once to choose between them.
fn unswitch(f: &mut Function, c: &Candidate) {
    let nb = f.blocks.len();
    let mut block_map: Vec<Option<Block>> = vec![None; nb];
    for (k, &b) in c.blocks.iter().enumerate() {
        block_map[b.index()] = Some(Block((nb + k) as u32));
    }
    let mut value_map: Vec<Option<Value>> = vec![None; f.num_values()];
    for &b in &c.blocks {
        let data = f.block(b);
        let defs: Vec<Value> = data.defs().collect();
        for v in defs {
            let ty = f.value_type(v);
            value_map[v.index()] = Some(f.new_value(ty));
        }
    }
    let val = |v: Value| value_map[v.index()].unwrap_or(v);
    let blk = |b: Block| block_map[b.index()].unwrap_or(b);
    let copies: Vec<BlockData> = c
        .blocks
        .iter()
        .map(|&b| {
            let data = f.block(b);
            let mut insts = data.insts.clone();
            for i in &mut insts {
                i.map_uses(val);
                i.set_dst(val(i.dst()));
            }
            let mut term = data.term.clone();
            term.map_uses(val);
            term.map_blocks(blk);
            BlockData {
                params: data.params.iter().map(|&p| val(p)).collect(),
                insts,
                term,
                cold: data.cold,
            }
        })
        .collect();
    f.blocks.extend(copies);
    // The original goes the first way, the copy the second.
    let (first, second) = ways(&f.block(c.at).term);
    // Values read after the loop: parameters of the exit's target, passed by both copies.
    if let Some(e) = &c.out {
        let params: Vec<Value> = e
            .values
            .iter()
            .map(|&v| {
                let ty = f.value_type(v);
                f.new_value(ty)
            })
            .collect();
        let pass = |f: &mut Function, from: Block, args: Vec<Value>| {
            f.block_mut(from).term.for_each_target_mut(|t| {
                if t.block == e.to {
                    t.args.extend(args.iter().copied());
                }
            });
        };
        for &from in &e.froms {
            pass(f, from, e.values.clone());
            pass(f, blk(from), e.values.iter().map(|&v| val(v)).collect());
        }
        let renamed = |v: Value| match e.values.binary_search(&v) {
            Ok(k) => params[k],
            Err(_) => v,
        };
        for bi in (0..nb).filter(|&bi| block_map[bi].is_none()) {
            let data = &mut f.blocks[bi];
            data.insts.iter_mut().for_each(|i| i.map_uses(renamed));
            data.term.map_uses(renamed);
        }
        f.block_mut(e.to).params.extend(params);
    }
    let question = f.block(c.at).term.clone();
    f.block_mut(c.at).term = Term::Jump(first);
    let copy_at = blk(c.at);
    let mut second = second;
    second.block = blk(second.block);
    second.args.iter_mut().for_each(|v| *v = val(*v));
    f.block_mut(copy_at).term = Term::Jump(second);
    // Every other branch of the loop that asks the same question (a representation
    // tested at each access of the same array) has its answer in each copy too: decided
    // now, not found again — and copied once more for nothing — in a later round.
    for &b in &c.blocks {
        if b != c.at && same_question(&f.block(b).term, &question) {
            let (then, _) = ways(&f.block(b).term);
            f.block_mut(b).term = Term::Jump(then);
            let (_, els) = ways(&f.block(blk(b)).term);
            f.block_mut(blk(b)).term = Term::Jump(els);
        }
    }
    // The entering block asks, with the arguments it passed the header (a block of its
    // own on that edge when it branches).
    let entry = match f.block(c.entry).term {
        Term::Jump(_) => c.entry,
        _ => {
            let p = Block(f.blocks.len() as u32);
            let mut into = None;
            f.block_mut(c.entry).term.for_each_target_mut(|t| {
                if t.block == c.header {
                    into = Some(core::mem::replace(t, Target::plain(p)));
                }
            });
            let into = into.expect("a candidate's entry goes to its header");
            f.blocks.push(BlockData {
                params: Vec::new(),
                insts: Vec::new(),
                term: Term::Jump(into),
                cold: false,
            });
            p
        }
    };
    let Term::Jump(into) = f.block(entry).term.clone() else {
        unreachable!("the entering block jumps")
    };
    let original = Target::new(c.header, into.args.clone());
    let copy = Target::new(blk(c.header), into.args);
    f.block_mut(entry).term = match question {
        Term::Branch { cond, .. } => Term::Branch {
            cond,
            then: original,
            els: copy,
        },
        Term::BranchCmp { op, a, b, .. } => Term::BranchCmp {
            op,
            a,
            b,
            then: original,
            els: copy,
        },
        _ => unreachable!("a candidate's branch"),
    };
}

/// A branch's two ways (then, else).
fn ways(t: &Term) -> (Target, Target) {
    match t {
        Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
            (then.clone(), els.clone())
        }
        _ => unreachable!("a branch asking the candidate's question"),
    }
}

/// Whether terminator `t` branches on `question`'s condition (the same value, or the same
/// comparison of the same values), both its ways distinct.
fn same_question(t: &Term, question: &Term) -> bool {
    match (t, question) {
        (Term::Branch { cond, then, els }, Term::Branch { cond: q, .. }) => {
            cond == q && then.block != els.block
        }
        (
            Term::BranchCmp {
                op,
                a,
                b,
                then,
                els,
            },
            Term::BranchCmp {
                op: qo,
                a: qa,
                b: qb,
                ..
            },
        ) => op == qo && a == qa && b == qb && then.block != els.block,
        _ => false,
    }
}
