//! Sinking: arithmetic whose every use is in one later block — a block it dominates and
//! that runs no more often — moves there, just before its first use. A loop counter's
//! `i + 1`, made at the top of the body and read only by the jump back, then ends the
//! body: `i` dies where the sum is made, the sum takes its register, and the jump back
//! needs no copy. What moves can neither trap nor write (as in [`super::licm`]).

use crate::cfg::{Dominators, Predecessors};
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

/// Sinks what can move toward its uses (see the module). Says whether anything moved.
pub fn sink_with(f: &mut Function, dom: &Dominators) -> bool {
    const NONE: u32 = u32::MAX;
    const MANY: u32 = u32::MAX - 1;
    let nb = f.blocks.len();
    // The one block that uses each value.
    let mut user = vec![NONE; f.num_values()];
    for (bi, b) in f.blocks.iter().enumerate() {
        let mut note = |v: Value| {
            let u = &mut user[v.index()];
            if *u == NONE {
                *u = bi as u32;
            } else if *u != bi as u32 {
                *u = MANY;
            }
        };
        for i in &b.insts {
            i.for_each_use(&mut note);
        }
        b.term.for_each_use(&mut note);
    }
    let user = &user;
    let movable = |i: &Inst| {
        matches!(
            i,
            Inst::Copy { .. } | Inst::Unary { .. } | Inst::Binary { .. } | Inst::Select { .. }
        ) && user[i.dst().index()] < MANY
    };
    let candidates: Vec<(Block, Value, Block)> = f
        .blocks
        .iter()
        .enumerate()
        .filter(|&(bi, _)| dom.is_reachable(Block(bi as u32)))
        .flat_map(|(bi, b)| {
            b.insts
                .iter()
                .filter(|i| movable(i))
                .map(move |i| (Block(bi as u32), i.dst(), Block(user[i.dst().index()])))
        })
        .filter(|&(from, _, to)| {
            // (A block that ends in a call with a landing keeps that call last.)
            from != to
                && dom.is_reachable(to)
                && dom.dominates(from, to)
                && !matches!(f.block(to).term, Term::Landing { .. })
        })
        .collect();
    if candidates.is_empty() {
        return false;
    }
    let mut loops = Loops::new(f, dom);
    let mut target = vec![NONE; f.num_values()];
    for (from, v, to) in candidates {
        if loops.runs_no_more_often(dom, from, to) {
            target[v.index()] = to.0;
        }
    }
    let mut moved: Vec<(Block, Inst)> = Vec::new();
    for bi in 0..nb {
        let sinks = |i: &Inst| target[i.dst().index()] != NONE && !i.is_call();
        if !f.blocks[bi].insts.iter().any(sinks) {
            continue;
        }
        let (go, stay): (Vec<Inst>, Vec<Inst>) = core::mem::take(&mut f.blocks[bi].insts)
            .into_iter()
            .partition(sinks);
        f.blocks[bi].insts = stay;
        moved.extend(go.into_iter().map(|i| (Block(target[i.dst().index()]), i)));
    }
    for (to, i) in &moved {
        let dst = i.dst();
        let insts = &mut f.blocks[to.index()].insts;
        let at = insts
            .iter()
            .position(|j| {
                let mut reads = false;
                j.for_each_use(|v| reads |= v == dst);
                reads
            })
            .unwrap_or(insts.len());
        insts.insert(at, i.clone());
    }
    !moved.is_empty()
}

/// The function's natural loops, each found when first asked about.
struct Loops<'d> {
    preds: &'d Predecessors,
    /// Blocks that dominate one of their predecessors.
    header: Vec<bool>,
    /// Whether there is any (else every block runs at most once).
    any_header: bool,
    /// Per header, once asked: the blocks of its loop.
    body: Vec<Option<Vec<bool>>>,
}

impl<'d> Loops<'d> {
    fn new(f: &Function, dom: &'d Dominators) -> Loops<'d> {
        let preds = dom.preds();
        let nb = f.blocks.len();
        let header: Vec<bool> = (0..nb)
            .map(|h| {
                let h = Block(h as u32);
                preds
                    .of(h)
                    .iter()
                    .any(|&p| dom.is_reachable(p) && dom.dominates(h, p))
            })
            .collect();
        Loops {
            preds,
            any_header: header.contains(&true),
            header,
            body: vec![None; nb],
        }
    }

    /// Whether `to`, which `from` dominates, is in no loop that `from` is not in: such a
    /// loop's header would lie on the way from `from` down the dominator tree to `to`.
    fn runs_no_more_often(&mut self, dom: &Dominators, from: Block, to: Block) -> bool {
        if !self.any_header {
            return true;
        }
        let mut x = to;
        while x != from {
            if self.header[x.index()] && self.contains(dom, x, to) {
                return false;
            }
            match dom.idom(x) {
                Some(d) if d != x => x = d,
                _ => return false,
            }
        }
        true
    }

    fn contains(&mut self, dom: &Dominators, h: Block, b: Block) -> bool {
        if self.body[h.index()].is_none() {
            let mut body = vec![false; self.header.len()];
            body[h.index()] = true;
            let mut work: Vec<Block> = self
                .preds
                .of(h)
                .iter()
                .copied()
                .filter(|&p| dom.is_reachable(p) && dom.dominates(h, p))
                .collect();
            while let Some(x) = work.pop() {
                if !body[x.index()] {
                    body[x.index()] = true;
                    work.extend(
                        self.preds
                            .of(x)
                            .iter()
                            .copied()
                            .filter(|&p| dom.is_reachable(p)),
                    );
                }
            }
            self.body[h.index()] = Some(body);
        }
        self.body[h.index()]
            .as_ref()
            .is_some_and(|body| body[b.index()])
    }
}
