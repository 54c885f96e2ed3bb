//! Common subexpressions: an arithmetic instruction, compare or select that repeats one
//! whose block dominates it (or that comes earlier in its block) on the same operands
//! becomes a copy of it; so does an `invariant` load of the same address when no call
//! lies on any path between the two ([`Inst::Load`]: only calls change such memory).
//!
//! Front ends emit such repeats freely — one that reads an array's base and length afresh
//! for every subscript, say, and loop-invariant code motion then gathers the copies of
//! several loops in one block — and each repeat keeps a register busy through the loops
//! after it. Copies are left for copy propagation and dead-code elimination.

use crate::cfg::{Dominators, Predecessors};
use crate::ir::*;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// What an instruction computes, operands in canonical order (commutative operators
/// sorted): (kind, operator, operands…, offset).
type Key = (u8, u8, u32, u32, u32, i64);

fn key(i: &Inst, alias: &[Value]) -> Option<Key> {
    let v = |x: Value| alias[x.index()].0;
    Some(match *i {
        Inst::Const { value, .. } => (5, 0, 0, 0, 0, value),
        Inst::Bool { value, .. } => (6, 0, 0, 0, 0, i64::from(value)),
        Inst::Unary { op, src, .. } => (0, op as u8, v(src), 0, 0, 0),
        Inst::Binary { op, a, b, .. } => {
            let commutative = matches!(
                op,
                BinOp::Add | BinOp::Mul | BinOp::And | BinOp::Or | BinOp::Xor
            );
            let (a, b) = (v(a), v(b));
            let (a, b) = if commutative && b < a { (b, a) } else { (a, b) };
            (1, op as u8, a, b, 0, 0)
        }
        Inst::Cmp { op, a, b, .. } => (2, op as u8, v(a), v(b), 0, 0),
        Inst::Select { cond, a, b, .. } => (3, 0, v(cond), v(a), v(b), 0),
        Inst::Load {
            addr,
            offset,
            width,
            invariant: true,
            ..
        } => (4, width as u8, v(addr), 0, 0, i64::from(offset)),
        _ => return None,
    })
}

/// Replaces repeated computations by copies of the first; says whether any was found.
pub fn eliminate_common_subexpressions(f: &mut Function) -> bool {
    eliminate_common_subexpressions_with(f, None)
}

/// [`eliminate_common_subexpressions`] with the function's dominators when the caller
/// has them (computed here otherwise, and only when something repeats).
pub fn eliminate_common_subexpressions_with(f: &mut Function, dom: Option<&Dominators>) -> bool {
    eliminate(f, dom, &mut None)
}

/// [`eliminate_common_subexpressions`] for a function whose dominators are not known yet:
/// those it computes (only when something repeats) are left in `slot` (CSE changes no
/// edge, so they stay true).
pub(crate) fn eliminate_common_subexpressions_keeping(
    f: &mut Function,
    slot: &mut Option<Dominators>,
) -> bool {
    eliminate(f, None, slot)
}

fn eliminate(
    f: &mut Function,
    dom: Option<&Dominators>,
    computed: &mut Option<Dominators>,
) -> bool {
    // What each value stands for: itself, or what a copy (or a repeat) copies.
    let mut alias: Vec<Value> = (0..f.num_values()).map(|i| Value(i as u32)).collect();
    // Most functions repeat nothing but constants: find out before computing dominators
    // (a repeat seen here with copies unresolved is still a repeat).
    let count: usize = f.blocks.iter().map(|b| b.insts.len()).sum();
    let mut table = Table::new(count);
    let mut repeats = false;
    for b in &f.blocks {
        for i in &b.insts {
            if let Some(k) = key(i, &alias).filter(|k| k.0 < 5) {
                repeats |= table.insert_new(k);
            }
        }
    }
    if !repeats && !repeated_loads_through_constants(f) {
        return false;
    }
    let dom = crate::cfg::dominators_of(f, dom, computed);
    let mut paths: Option<Paths> = None;
    // Blocks in a preorder of the dominator tree: the blocks a block dominates follow it,
    // so each key needs only a stack of earlier computations, the top the nearest.
    table.clear();
    // Earlier computations: (value, block, index in the block, the one below on its
    // key's stack).
    let mut entries: Vec<(Value, Block, usize, u32)> = Vec::with_capacity(count);
    let mut changed = false;
    for &b in dom.preorder() {
        for k in 0..f.block(b).insts.len() {
            let inst = &f.block(b).insts[k];
            if let Inst::Copy { dst, src } = *inst {
                alias[dst.index()] = alias[src.index()];
                continue;
            }
            let Some(key) = key(inst, &alias) else {
                continue;
            };
            let slot = table.slot(key);
            // Left behind: computations in blocks whose subtree the walk has left.
            let mut top = table.tops[slot];
            while top != NONE && !dom.dominates(entries[top as usize].1, b) {
                top = entries[top as usize].3;
            }
            let is_load = matches!(inst, Inst::Load { .. });
            let reuse = (top != NONE)
                .then(|| entries[top as usize])
                .filter(|&(_, b1, k1, _)| {
                    !is_load
                        || paths
                            .get_or_insert_with(|| Paths::new(f))
                            .call_free(f, (b1, k1), (b, k))
                });
            match reuse {
                Some((v, ..)) => {
                    table.tops[slot] = top;
                    let dst = inst.dst();
                    alias[dst.index()] = v;
                    f.blocks[b.index()].insts[k] = Inst::Copy { dst, src: v };
                    changed = true;
                }
                None => {
                    entries.push((inst.dst(), b, k, top));
                    table.tops[slot] = entries.len() as u32 - 1;
                }
            }
        }
    }
    changed
}

const NONE: u32 = u32::MAX;

/// Keys to the top of their stack of computations: open addressing, linear probing,
/// sized for every instruction at half load.
struct Table {
    keys: Vec<Option<Key>>,
    tops: Vec<u32>,
}

impl Table {
    fn new(n: usize) -> Table {
        let size = (2 * n + 2).next_power_of_two();
        Table {
            keys: vec![None; size],
            tops: vec![NONE; size],
        }
    }

    fn clear(&mut self) {
        self.keys.iter_mut().for_each(|k| *k = None);
        self.tops.iter_mut().for_each(|t| *t = NONE);
    }

    /// The slot of `k`, claimed for it if new.
    fn slot(&mut self, k: Key) -> usize {
        let mask = self.keys.len() - 1;
        let mut h = (k.0 as u64) << 56 ^ (k.1 as u64) << 48;
        for x in [k.2 as u64, k.3 as u64, k.4 as u64, k.5 as u64] {
            h = (h ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        let mut i = (h >> 32) as usize & mask;
        loop {
            match self.keys[i] {
                Some(x) if x == k => return i,
                None => {
                    self.keys[i] = Some(k);
                    return i;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Records `k`; whether it was there already.
    fn insert_new(&mut self, k: Key) -> bool {
        let i = self.slot(k);
        let seen = self.tops[i] != NONE;
        self.tops[i] = 0;
        seen
    }
}

/// Whether two invariant loads read the same offset from addresses that are equal
/// constants (which the quick count above, on values, does not see).
fn repeated_loads_through_constants(f: &Function) -> bool {
    let mut consts: super::ValueMap<i64> = super::ValueMap::new(f);
    let mut loads: BTreeMap<(i64, i32), u32> = BTreeMap::new();
    for b in &f.blocks {
        for i in &b.insts {
            match *i {
                Inst::Const { dst, value } => {
                    consts.insert(dst, value);
                }
                Inst::Load {
                    addr,
                    offset,
                    invariant: true,
                    ..
                } => {
                    if let Some(&c) = consts.get(&addr) {
                        let n = loads.entry((c, offset)).or_insert(0);
                        *n += 1;
                        if *n > 1 {
                            return true;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    false
}

/// Whether a call can run between two points of a function.
struct Paths {
    preds: Predecessors,
    calls: Vec<bool>,
}

impl Paths {
    fn new(f: &Function) -> Paths {
        Paths {
            preds: Predecessors::compute(f),
            calls: f
                .blocks
                .iter()
                .map(|b| b.insts.iter().any(Inst::is_call))
                .collect(),
        }
    }

    /// No call on any path from instruction `from` (block, index) to instruction `to`,
    /// which `from` dominates (or precedes in its block): the paths that do not run
    /// `from` again, which would define its value afresh.
    fn call_free(&self, f: &Function, from: (Block, usize), to: (Block, usize)) -> bool {
        let ((b1, k1), (b2, k2)) = (from, to);
        let calls_in =
            |b: Block, r: core::ops::Range<usize>| f.block(b).insts[r].iter().any(Inst::is_call);
        if b1 == b2 {
            return !calls_in(b1, k1 + 1..k2);
        }
        if calls_in(b1, k1 + 1..f.block(b1).insts.len()) || calls_in(b2, 0..k2) {
            return false;
        }
        // Blocks that reach b2 without passing through b1.
        let n = f.blocks.len();
        let mut back = vec![false; n];
        let mut work: Vec<Block> = self.preds.of(b2).to_vec();
        while let Some(x) = work.pop() {
            if x != b1 && !back[x.index()] {
                back[x.index()] = true;
                work.extend_from_slice(self.preds.of(x));
            }
        }
        // From b1 on, through them: a call in any is on a path (in b2 too, when b2 comes
        // round to itself).
        let mut seen = vec![false; n];
        let mut work: Vec<Block> = f.block(b1).term.successors().as_slice().to_vec();
        while let Some(x) = work.pop() {
            if x == b1 || seen[x.index()] || !(back[x.index()] || x == b2) {
                continue;
            }
            seen[x.index()] = true;
            if x == b2 && !back[x.index()] {
                continue;
            }
            if self.calls[x.index()] {
                return false;
            }
            work.extend_from_slice(f.block(x).term.successors().as_slice());
        }
        true
    }
}
