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
    let mut stack: Vec<(Block, usize)> = Vec::with_capacity(n);
    stack.push((Block::ENTRY, 0));
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

/// For a function without loops: renumbers its blocks in reverse postorder, dropping
/// those no path from the entry reaches (the entry stays block 0), so that every edge goes
/// to a later block; says whether anything moved. A function with a loop is left as it is
/// (an edge goes back in any order).
pub fn renumber_if_acyclic(f: &mut Function) -> bool {
    let rpo = reverse_postorder(f);
    if rpo.len() == f.blocks.len() && rpo.iter().enumerate().all(|(i, b)| b.index() == i) {
        return false;
    }
    let mut new_index = vec![u32::MAX; f.blocks.len()];
    for (i, b) in rpo.iter().enumerate() {
        new_index[b.index()] = i as u32;
    }
    if goes_back(f, &rpo, &new_index) {
        return false;
    }
    let mut old = core::mem::replace(&mut f.blocks, Vec::with_capacity(rpo.len()));
    for b in &rpo {
        let mut data = core::mem::replace(
            &mut old[b.index()],
            crate::ir::BlockData {
                params: Vec::new(),
                insts: Vec::new(),
                term: crate::ir::Term::Return(crate::ir::Value(0)),
                cold: false,
            },
        );
        data.term.map_blocks(|t| Block(new_index[t.index()]));
        f.blocks.push(data);
    }
    true
}

/// Whether an edge of a block of `order` leads to a block placed no later than its own,
/// `position` being each block's place in `order` (a successor outside it counts as
/// going back): false means one pass in `order` sees every edge into a block before the
/// block itself.
pub fn goes_back(f: &Function, order: &[Block], position: &[u32]) -> bool {
    order.iter().any(|&b| {
        let from = position[b.index()];
        f.block(b)
            .term
            .successors()
            .as_slice()
            .iter()
            .any(|s| position.get(s.index()).is_none_or(|&to| to <= from))
    })
}

/// Whether a path of edges leads from `from` to `to` (`from` reaches itself).
pub fn reaches(f: &Function, from: Block, to: Block) -> bool {
    let mut seen = vec![false; f.blocks.len()];
    let mut work = vec![from];
    seen[from.index()] = true;
    while let Some(b) = work.pop() {
        if b == to {
            return true;
        }
        for s in f.block(b).term.successors() {
            if s.index() < seen.len() && !seen[s.index()] {
                seen[s.index()] = true;
                work.push(s);
            }
        }
    }
    false
}

/// Whether some edge goes back to its own block or an earlier one (by index): false
/// proves the function has no cycle.
pub fn may_loop(f: &Function) -> bool {
    f.blocks.iter().enumerate().any(|(i, b)| {
        b.term
            .successors()
            .as_slice()
            .iter()
            .any(|s| s.index() <= i)
    })
}

/// Whether each block can reach a `return`. A block that cannot (a failure that exits, a
/// trap, a loop left only by exiting the process) is cold: inlining does not count it and
/// code generation places it after the rest.
pub fn returns(f: &Function, preds: &Predecessors) -> Vec<bool> {
    // Backwards from every return, each block once.
    let mut returns = vec![false; f.blocks.len()];
    // (Each block is pushed at most once.)
    let mut work: Vec<Block> = Vec::with_capacity(f.blocks.len());
    for (i, b) in f.blocks.iter().enumerate() {
        if matches!(b.term, crate::ir::Term::Return(_)) {
            returns[i] = true;
            work.push(Block(i as u32));
        }
    }
    while let Some(b) = work.pop() {
        for &p in preds.of(b) {
            if !returns[p.index()] {
                returns[p.index()] = true;
                work.push(p);
            }
        }
    }
    returns
}

/// Cold blocks, laid out after the rest: those that cannot reach a return (a failure that
/// exits), those the front end marked ([`crate::ir::BlockData::cold`]), those entered only
/// when a checked operation fails (a deoptimization's return) or a call returns to its
/// landing, and those entered only from cold blocks.
pub fn cold(f: &Function, preds: &Predecessors) -> Vec<bool> {
    let mut cold = returns(f, preds);
    for (c, b) in cold.iter_mut().zip(&f.blocks) {
        *c = !*c || b.cold;
    }
    // Forwards to a fixed point; one sweep where every edge goes to a later block.
    let forward = !may_loop(f);
    let mut changed = true;
    while changed {
        changed = false;
        for b in 1..f.blocks.len() {
            if cold[b] || preds.of(Block(b as u32)).is_empty() {
                continue;
            }
            let only_failures = preds.of(Block(b as u32)).iter().all(|&p| {
                cold[p.index()]
                    || matches!(&f.block(p).term,
                        crate::ir::Term::Checked { ok, fail, .. }
                            if fail.block.index() == b && ok.index() != b)
                    || matches!(&f.block(p).term,
                        crate::ir::Term::Landing { landed, normal, .. }
                            if landed.block.index() == b && normal.block.index() != b)
            });
            if only_failures {
                cold[b] = true;
                changed = true;
            }
        }
        changed &= !forward;
    }
    cold
}

/// Reverse postorder, and each block's index in it (usize::MAX: unreachable).
fn rpo_numbering(f: &Function) -> (Vec<Block>, Vec<usize>) {
    let rpo = reverse_postorder(f);
    let mut index = vec![usize::MAX; f.blocks.len()];
    for (i, b) in rpo.iter().enumerate() {
        index[b.index()] = i;
    }
    (rpo, index)
}

/// `dom`, the dominators of `f` a caller already had, or else those computed now (kept
/// in `slot`).
pub fn dominators_of<'a>(
    f: &Function,
    dom: Option<&'a Dominators>,
    slot: &'a mut Option<Dominators>,
) -> &'a Dominators {
    match dom {
        Some(d) => d,
        None => slot.insert(Dominators::compute(f)),
    }
}

/// The natural loops, one per header (its back edges merged), in reverse postorder of
/// their headers: (header, whether each block is in the loop).
pub fn natural_loops(
    f: &Function,
    preds: &Predecessors,
    dom: &Dominators,
    rpo: &[Block],
) -> Vec<(Block, Vec<bool>)> {
    let mut loops = Vec::new();
    for &h in rpo {
        let latches: Vec<Block> = preds
            .of(h)
            .iter()
            .copied()
            .filter(|&b| dom.is_reachable(b) && dom.dominates(h, b))
            .collect();
        if latches.is_empty() {
            continue;
        }
        let mut body = vec![false; f.blocks.len()];
        body[h.index()] = true;
        let mut work = latches;
        while let Some(b) = work.pop() {
            if !body[b.index()] {
                body[b.index()] = true;
                work.extend(preds.of(b).iter().copied().filter(|p| dom.is_reachable(*p)));
            }
        }
        loops.push((h, body));
    }
    loops
}

/// Predecessors of every block in one allocation: block `b`'s are
/// `list[start[b] as usize..start[b + 1] as usize]` (duplicates kept, unreachable included).
#[derive(Clone, Debug, Default)]
pub struct Predecessors {
    start: Vec<u32>,
    list: Vec<Block>,
}

impl Predecessors {
    pub fn compute(f: &Function) -> Predecessors {
        let n = f.blocks.len();
        let mut start = vec![0u32; n + 1];
        // Successors past the end (invalid IR, reported by the verifier) are skipped.
        for b in &f.blocks {
            for s in b.term.successors() {
                if s.index() < n {
                    start[s.index() + 1] += 1;
                }
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![Block::ENTRY; start[n] as usize];
        for (i, b) in f.blocks.iter().enumerate() {
            for s in b.term.successors().into_iter().filter(|s| s.index() < n) {
                list[fill[s.index()] as usize] = Block(i as u32);
                fill[s.index()] += 1;
            }
        }
        Predecessors { start, list }
    }

    #[inline]
    pub fn of(&self, b: Block) -> &[Block] {
        &self.list[self.start[b.index()] as usize..self.start[b.index() + 1] as usize]
    }
}

/// Immediate dominators (Lengauer & Tarjan, see `immediate_dominators`): `idom[b]` for reachable blocks, `None`
/// for unreachable ones; the entry is its own.
pub struct Dominators {
    idom: Vec<Option<Block>>,
    rpo_index: Vec<usize>,
    /// Pre- and post-order numbers in the dominator tree: `a` dominates `b` iff `b`'s
    /// interval nests in `a`'s (O(1) queries).
    pre: Vec<u32>,
    post: Vec<u32>,
    /// The reachable blocks in that preorder (a block before those it dominates).
    preorder: Vec<Block>,
    /// What the computation needed, kept for the passes that take these dominators (valid
    /// as long as they are: the same blocks and edges).
    rpo: Vec<Block>,
    preds: Predecessors,
}

impl Dominators {
    pub fn compute(f: &Function) -> Dominators {
        let (rpo, rpo_index) = rpo_numbering(f);
        let preds = Predecessors::compute(f);
        let n = f.blocks.len();
        // The iterative algorithm on the reverse postorder at hand is cheaper for the
        // functions most compiles see; Lengauer-Tarjan bounds the large ones (a block
        // thousands of failing checks lead to made the iterative one quadratic).
        let idom = if n <= ITERATIVE_MAX_BLOCKS {
            iterative_idoms(&rpo, &rpo_index, &preds, n)
        } else {
            immediate_dominators(f, &preds)
        };
        // Number the dominator tree depth-first (children as one flat list per parent).
        let mut child_start = vec![0u32; n + 1];
        for &b in rpo.iter().skip(1) {
            if let Some(d) = idom[b.index()] {
                child_start[d.index() + 1] += 1;
            }
        }
        for i in 0..n {
            child_start[i + 1] += child_start[i];
        }
        let mut fill = child_start.clone();
        let mut child_list = vec![Block::ENTRY; child_start[n] as usize];
        for &b in rpo.iter().skip(1) {
            if let Some(d) = idom[b.index()] {
                child_list[fill[d.index()] as usize] = b;
                fill[d.index()] += 1;
            }
        }
        let children = |b: Block| {
            &child_list[child_start[b.index()] as usize..child_start[b.index() + 1] as usize]
        };
        let (mut pre, mut post) = (vec![u32::MAX; n], vec![0u32; n]);
        let mut counter = 0u32;
        let mut stack: Vec<(Block, usize)> = Vec::with_capacity(rpo.len());
        stack.push((Block::ENTRY, 0));
        let mut preorder = Vec::with_capacity(rpo.len());
        preorder.push(Block::ENTRY);
        pre[0] = 0;
        while let Some(&mut (b, ref mut next)) = stack.last_mut() {
            if let Some(&c) = children(b).get(*next) {
                *next += 1;
                counter += 1;
                pre[c.index()] = counter;
                preorder.push(c);
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
            preorder,
            rpo,
            preds,
        }
    }

    #[inline]
    pub fn is_reachable(&self, b: Block) -> bool {
        self.idom[b.index()].is_some()
    }

    /// Whether `a` dominates `b` (every block dominates itself).
    #[inline]
    pub fn dominates(&self, a: Block, b: Block) -> bool {
        let (a, b) = (a.index(), b.index());
        self.pre[a] != u32::MAX
            && self.pre[b] != u32::MAX
            && self.pre[a] <= self.pre[b]
            && self.post[b] <= self.post[a]
    }

    /// `b`'s immediate dominator (the entry's is itself; None: unreachable).
    #[inline]
    pub fn idom(&self, b: Block) -> Option<Block> {
        self.idom[b.index()]
    }

    #[inline]
    pub fn rpo_index(&self, b: Block) -> usize {
        self.rpo_index[b.index()]
    }

    /// The reachable blocks in a depth-first preorder of the dominator tree: each before
    /// every block it dominates, and the blocks it dominates together.
    pub fn preorder(&self) -> &[Block] {
        &self.preorder
    }

    /// The reachable blocks in reverse postorder ([`reverse_postorder`]) when these
    /// dominators were computed.
    pub fn rpo(&self) -> &[Block] {
        &self.rpo
    }

    /// The predecessors of every block when these dominators were computed.
    pub fn preds(&self) -> &Predecessors {
        &self.preds
    }
}

/// Up to this many blocks, dominators are found by the iterative algorithm.
const ITERATIVE_MAX_BLOCKS: usize = 128;

/// The nearest common dominator of `a` and `b`, walking up from the later one in reverse
/// postorder.
fn intersect(idom: &[Option<Block>], rpo_index: &[usize], mut a: Block, mut b: Block) -> Block {
    while a != b {
        while rpo_index[a.index()] > rpo_index[b.index()] {
            a = idom[a.index()].expect("a reachable block has a dominator");
        }
        while rpo_index[b.index()] > rpo_index[a.index()] {
            b = idom[b.index()].expect("a reachable block has a dominator");
        }
    }
    a
}

/// Immediate dominators by the iterative algorithm (Cooper, Harvey and Kennedy, "A Simple,
/// Fast Dominance Algorithm"), over the reverse postorder `rpo` (None: unreachable).
fn iterative_idoms(
    rpo: &[Block],
    rpo_index: &[usize],
    preds: &Predecessors,
    n: usize,
) -> Vec<Option<Block>> {
    let mut idom: Vec<Option<Block>> = vec![None; n];
    idom[0] = Some(Block::ENTRY);
    let mut changed = true;
    while changed {
        changed = false;
        for &b in rpo.iter().skip(1) {
            let mut new: Option<Block> = None;
            for &p in preds.of(b) {
                if idom[p.index()].is_none() {
                    continue;
                }
                new = Some(match new {
                    None => p,
                    Some(cur) => intersect(&idom, rpo_index, p, cur),
                });
            }
            if new.is_some() && idom[b.index()] != new {
                idom[b.index()] = new;
                changed = true;
            }
        }
    }
    idom
}

/// Immediate dominators by Lengauer & Tarjan (with path compression): near-linear, where
/// the iterative algorithm is quadratic when a block has thousands of predecessors along
/// a long chain (every overflow check of a long function failing to one block).
/// `idom[b]`: None for unreachable blocks; the entry is its own.
fn immediate_dominators(f: &Function, preds: &Predecessors) -> Vec<Option<Block>> {
    const NONE: u32 = u32::MAX;
    let n = f.blocks.len();
    // Depth-first numbering from the entry: `vertex[d]` is the block numbered d, `parent`
    // its tree parent's number.
    let mut dfnum = vec![NONE; n];
    let mut vertex: Vec<u32> = Vec::with_capacity(n);
    let mut parent: Vec<u32> = Vec::with_capacity(n);
    let mut stack: Vec<(u32, u32)> = Vec::with_capacity(2 * n);
    stack.push((0, NONE));
    while let Some((b, p)) = stack.pop() {
        if dfnum[b as usize] != NONE {
            continue;
        }
        dfnum[b as usize] = vertex.len() as u32;
        vertex.push(b);
        parent.push(p);
        let d = dfnum[b as usize];
        for s in f.blocks[b as usize].term.successors() {
            if s.index() < n && dfnum[s.index()] == NONE {
                stack.push((s.0, d));
            }
        }
    }
    let m = vertex.len();
    let mut semi: Vec<u32> = (0..m as u32).collect();
    let mut label: Vec<u32> = (0..m as u32).collect();
    let mut ancestor = vec![NONE; m];
    let mut idom_d = vec![NONE; m];
    // Each semidominator's bucket as a linked list through `next` (no vector per block).
    let mut bucket = vec![NONE; m];
    let mut next = vec![NONE; m];
    let mut path: Vec<u32> = Vec::new();
    // The vertex of least semidominator on the tree path from `v` up to (excluding) the
    // root of its linked forest, compressing the path on the way (iteratively: chains are
    // thousands long).
    let mut eval = |v: u32, semi: &[u32], label: &mut [u32], ancestor: &mut [u32]| -> u32 {
        if ancestor[v as usize] == NONE {
            return v;
        }
        path.clear();
        let mut x = v;
        while ancestor[ancestor[x as usize] as usize] != NONE {
            path.push(x);
            x = ancestor[x as usize];
        }
        for &x in path.iter().rev() {
            let a = ancestor[x as usize] as usize;
            if semi[label[a] as usize] < semi[label[x as usize] as usize] {
                label[x as usize] = label[a];
            }
            ancestor[x as usize] = ancestor[a];
        }
        label[v as usize]
    };
    for w in (1..m).rev() {
        for &p in preds.of(Block(vertex[w])) {
            let v = dfnum[p.index()];
            if v == NONE {
                continue; // an unreachable predecessor
            }
            let u = eval(v, &semi, &mut label, &mut ancestor);
            if semi[u as usize] < semi[w] {
                semi[w] = semi[u as usize];
            }
        }
        let s = semi[w] as usize;
        next[w] = bucket[s];
        bucket[s] = w as u32;
        let pw = parent[w];
        ancestor[w] = pw;
        let mut v = core::mem::replace(&mut bucket[pw as usize], NONE);
        while v != NONE {
            let u = eval(v, &semi, &mut label, &mut ancestor);
            idom_d[v as usize] = if semi[u as usize] < semi[v as usize] {
                u
            } else {
                pw
            };
            v = next[v as usize];
        }
    }
    for w in 1..m {
        if idom_d[w] != semi[w] {
            idom_d[w] = idom_d[idom_d[w] as usize];
        }
    }
    let mut idom = vec![None; n];
    idom[0] = Some(Block::ENTRY);
    for w in 1..m {
        idom[vertex[w] as usize] = Some(Block(vertex[idom_d[w] as usize]));
    }
    idom
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::FunctionBuilder;
    use crate::ir::Type;

    /// The iterative algorithm, as the oracle.
    fn iterative(f: &Function) -> Vec<Option<Block>> {
        let (rpo, rpo_index) = rpo_numbering(f);
        iterative_idoms(&rpo, &rpo_index, &Predecessors::compute(f), f.blocks.len())
    }

    #[test]
    fn lengauer_tarjan_agrees_with_the_iterative_algorithm() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |k: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % k
        };
        for case in 0..400 {
            let blocks = 1 + (case % 40) as usize;
            let mut b = FunctionBuilder::new("f", &[Type::Bool], Type::I64);
            let ids: Vec<Block> = (0..blocks)
                .map(|i| {
                    if i == 0 {
                        Block::ENTRY
                    } else {
                        b.create_block()
                    }
                })
                .collect();
            let cond = b.param(0);
            for &blk in &ids {
                b.switch_to(blk);
                match next(4) {
                    0 => {
                        let z = b.iconst(0);
                        b.ret(z);
                    }
                    1 => b.jump(ids[next(blocks as u64) as usize], &[]),
                    _ => b.branch(
                        cond,
                        ids[next(blocks as u64) as usize],
                        &[],
                        ids[next(blocks as u64) as usize],
                        &[],
                    ),
                }
            }
            let f = b.finish().unwrap();
            let preds = Predecessors::compute(&f);
            assert_eq!(
                immediate_dominators(&f, &preds),
                iterative(&f),
                "case {case}"
            );
        }
    }

    /// A function without loops whose blocks are made out of order (a join before the
    /// ways into it) comes out in reverse postorder, every edge forward, computing the
    /// same; one with a loop, and one already in order, are left as they are.
    #[test]
    fn blocks_without_loops_are_renumbered_in_reverse_postorder() {
        let src = "
fn f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    br_lt v0, v1, block2, block3
block1(v2: i64):
    ret v2
block2:
    v3 = sub v1, v0
    jump block1(v3)
block3:
    v4 = sub v0, v1
    jump block1(v4)
block4:
    ret v0
}

fn g(i64) -> i64 {
block0(v0: i64):
    jump block1(v0)
block1(v1: i64):
    v2 = iconst 1
    v3 = sub v1, v2
    br_lt v2, v3, block1(v3), block2
block2:
    ret v3
}
";
        let m = crate::text::parse_module(src).unwrap();
        let mut fs: Vec<Function> = m.functions().map(|(_, f)| f.clone()).collect();
        let forward = |f: &Function| {
            f.blocks
                .iter()
                .enumerate()
                .all(|(i, b)| b.term.successors().as_slice().iter().all(|s| s.index() > i))
        };
        assert!(!forward(&fs[0]));
        assert!(renumber_if_acyclic(&mut fs[0]));
        assert!(forward(&fs[0]));
        assert_eq!(fs[0].blocks.len(), 4, "the unreachable block is dropped");
        let mut out = crate::module::Module::new();
        out.add(fs[0].clone());
        for args in [[3, 9], [9, 3], [5, 5]] {
            assert_eq!(
                crate::interp::run(&out, crate::ir::FuncId(0), &args, 100),
                crate::interp::run(&m, crate::ir::FuncId(0), &args, 100)
            );
        }
        assert!(!renumber_if_acyclic(&mut fs[0]), "already in order");
        let loop_before = fs[1].clone();
        assert!(!renumber_if_acyclic(&mut fs[1]));
        assert_eq!(fs[1], loop_before);
    }
}
