//! Control-flow facts: reverse postorder, predecessors, dominators.

use crate::ir::{Block, Function};
use alloc::vec;
use alloc::vec::Vec;

/// Reachable blocks in reverse postorder (entry first).
pub fn reverse_postorder(f: &Function) -> Vec<Block> {
    let n = f.blocks.len();
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    // Iterative DFS: (block, index of the next successor to visit).
    let mut stack: Vec<(Block, usize)> = vec![(Block::ENTRY, 0)];
    visited[0] = true;
    while let Some(&mut (b, ref mut next)) = stack.last_mut() {
        let succs = f.block(b).term.successors();
        // Visit the last successor first: reverse postorder then lays out the first one
        // (`then`, `ok`) right after its block, where falling through to it is free.
        let n_succ = succs.as_slice().len();
        if *next < n_succ {
            let s = succs.as_slice()[n_succ - 1 - *next];
            *next += 1;
            if s.index() < n && !visited[s.index()] {
                visited[s.index()] = true;
                stack.push((s, 0));
            }
        } else {
            order.push(b);
            stack.pop();
        }
    }
    order.reverse();
    order
}

/// Predecessor lists, one per block (unreachable predecessors included).
pub fn predecessors(f: &Function) -> Vec<Vec<Block>> {
    let mut preds = vec![Vec::new(); f.blocks.len()];
    for (i, b) in f.blocks.iter().enumerate() {
        for s in b.term.successors() {
            if s.index() < preds.len() && !preds[s.index()].contains(&Block(i as u32)) {
                preds[s.index()].push(Block(i as u32));
            }
        }
    }
    preds
}

/// Immediate dominators (Cooper, Harvey & Kennedy): `idom[b]` for reachable blocks, `None`
/// for unreachable ones; the entry is its own.
pub struct Dominators {
    idom: Vec<Option<Block>>,
    rpo_index: Vec<usize>,
    /// Pre- and post-order numbers in the dominator tree: `a` dominates `b` iff `b`'s
    /// interval nests in `a`'s (O(1) queries).
    pre: Vec<u32>,
    post: Vec<u32>,
}

impl Dominators {
    pub fn compute(f: &Function) -> Dominators {
        let rpo = reverse_postorder(f);
        let preds = predecessors(f);
        let n = f.blocks.len();
        let mut rpo_index = vec![usize::MAX; n];
        for (i, b) in rpo.iter().enumerate() {
            rpo_index[b.index()] = i;
        }
        let mut idom: Vec<Option<Block>> = vec![None; n];
        idom[0] = Some(Block::ENTRY);
        let mut changed = true;
        while changed {
            changed = false;
            for &b in rpo.iter().skip(1) {
                let mut new: Option<Block> = None;
                for &p in &preds[b.index()] {
                    if idom[p.index()].is_none() {
                        continue;
                    }
                    new = Some(match new {
                        None => p,
                        Some(cur) => intersect(&idom, &rpo_index, p, cur),
                    });
                }
                if new.is_some() && idom[b.index()] != new {
                    idom[b.index()] = new;
                    changed = true;
                }
            }
        }
        // Number the dominator tree depth-first.
        let mut children: Vec<Vec<Block>> = vec![Vec::new(); n];
        for &b in rpo.iter().skip(1) {
            if let Some(d) = idom[b.index()] {
                children[d.index()].push(b);
            }
        }
        let (mut pre, mut post) = (vec![u32::MAX; n], vec![0u32; n]);
        let mut counter = 0u32;
        let mut stack: Vec<(Block, usize)> = vec![(Block::ENTRY, 0)];
        pre[0] = 0;
        while let Some(&mut (b, ref mut next)) = stack.last_mut() {
            if let Some(&c) = children[b.index()].get(*next) {
                *next += 1;
                counter += 1;
                pre[c.index()] = counter;
                stack.push((c, 0));
            } else {
                counter += 1;
                post[b.index()] = counter;
                stack.pop();
            }
        }
        Dominators {
            idom,
            rpo_index,
            pre,
            post,
        }
    }

    pub fn is_reachable(&self, b: Block) -> bool {
        self.idom[b.index()].is_some()
    }

    /// Whether `a` dominates `b` (every block dominates itself).
    pub fn dominates(&self, a: Block, b: Block) -> bool {
        let (a, b) = (a.index(), b.index());
        self.pre[a] != u32::MAX
            && self.pre[b] != u32::MAX
            && self.pre[a] <= self.pre[b]
            && self.post[b] <= self.post[a]
    }

    pub fn rpo_index(&self, b: Block) -> usize {
        self.rpo_index[b.index()]
    }
}

fn intersect(idom: &[Option<Block>], rpo_index: &[usize], mut a: Block, mut b: Block) -> Block {
    while a != b {
        while rpo_index[a.index()] > rpo_index[b.index()] {
            a = idom[a.index()].unwrap();
        }
        while rpo_index[b.index()] > rpo_index[a.index()] {
            b = idom[b.index()].unwrap();
        }
    }
    a
}
