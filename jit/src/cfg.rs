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
        if let Some(&s) = succs.get(*next) {
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
        Dominators { idom, rpo_index }
    }

    pub fn is_reachable(&self, b: Block) -> bool {
        self.idom[b.index()].is_some()
    }

    /// Whether `a` dominates `b` (every block dominates itself).
    pub fn dominates(&self, a: Block, mut b: Block) -> bool {
        loop {
            if a == b {
                return true;
            }
            match self.idom[b.index()] {
                Some(d) if d != b => b = d,
                _ => return false,
            }
        }
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
