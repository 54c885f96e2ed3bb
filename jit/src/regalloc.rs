//! Register allocation: liveness, live intervals, linear scan (Poletto & Sarkar).
//!
//! Blocks are laid out in reverse postorder, the cold ones (failures) last, and their
//! instructions numbered two apart: an instruction reads its operands at its even position
//! and writes its result one later, so an operand's register can be reused by the result.
//! Constants get no register at all: code generation rematerialises them as immediates at
//! each use.
//!
//! Values live across a call may only take callee-saved registers (rbx, r12–r15) or the
//! stack; others prefer the caller-saved ones (rsi, rdi, r8–r10), which cost no save in the
//! prologue. rax and r11 are never allocated: code generation uses them as scratch (results,
//! memory-to-memory moves, large immediates); rcx and rdx only in functions that divide or
//! shift by a variable count, which need them.
//!
//! Intervals have holes (Wimmer and Franz, "Linear Scan Register Allocation on SSA Form"):
//! a value's live ranges are found block by block, and a register is free for a new value
//! where its holder is in a hole that covers the new value's whole life. There is no
//! splitting: a value keeps one location all its life.

use crate::abi::ARG_REGS;
use crate::cfg::{Predecessors, reverse_postorder};
use crate::emit::Gpr;
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

/// Registers a value may get when it is not live across a call (tried first).
pub const CALLER_SAVED: [Gpr; 5] = [Gpr::Rsi, Gpr::Rdi, Gpr::R8, Gpr::R9, Gpr::R10];
/// Registers that survive calls (saved in the prologue when used).
pub const CALLEE_SAVED: [Gpr; 5] = [Gpr::Rbx, Gpr::R12, Gpr::R13, Gpr::R14, Gpr::R15];

/// Where a value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loc {
    /// Never used (or never defined in reachable code).
    None,
    Reg(Gpr),
    /// A spill slot of the frame (8 bytes each).
    Stack(u32),
    /// A constant, materialised where it is used.
    Const(i64),
}

/// The allocator's answer.
#[derive(Clone, Debug)]
pub struct Allocation {
    pub locs: Vec<Loc>,
    /// Spill slots used.
    pub slots: u32,
    /// Callee-saved registers used (the prologue saves them).
    pub callee_saved: Vec<Gpr>,
    /// Block layout order (reachable blocks, reverse postorder with the cold ones last).
    pub order: Vec<Block>,
    /// Per block: cold ([`crate::cfg::cold`]).
    pub cold: Vec<bool>,
    /// Per block: the registers that hold a value live into it, its parameters included
    /// (bit `r as u16` for register r).
    pub live_in_regs: Vec<u16>,
    /// Per value (or empty: none): for an add read only as the address of loads and
    /// stores, the address it makes. It gets no location: code generation addresses
    /// `[base + index << shift + offset]`, and base and index live until the last of those
    /// reads ([`folded_adds`]).
    pub folded: Vec<Option<Address>>,
    /// Every block's predecessors.
    pub preds: Predecessors,
}

/// An address folded into the loads and stores that read it: `base + (index << shift)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Address {
    pub base: Value,
    pub index: Value,
    /// 0 to 3 (the scales 1, 2, 4, 8 of an x86 memory operand).
    pub shift: u8,
}

/// Adds `x + y` (neither a constant) whose every read is as the address of a load or a
/// store: folded into those memory operands, so that the add is never computed.
/// Empty when there are none (most functions: no loads or stores at all).
pub fn folded_adds(f: &Function) -> Vec<Option<Address>> {
    let memory = |i: &Inst| matches!(i, Inst::Load { .. } | Inst::Store { .. });
    if !f.blocks.iter().any(|b| b.insts.iter().any(memory)) {
        return Vec::new();
    }
    let n = f.num_values();
    let mut consts = vec![false; n];
    let mut adds: Vec<Option<Address>> = vec![None; n];
    for b in &f.blocks {
        for i in &b.insts {
            match *i {
                Inst::Const { dst, .. } | Inst::Bool { dst, .. } => consts[dst.index()] = true,
                Inst::Binary {
                    op: BinOp::Add,
                    dst,
                    a,
                    b,
                } => {
                    adds[dst.index()] = Some(Address {
                        base: a,
                        index: b,
                        shift: 0,
                    })
                }
                _ => {}
            }
        }
    }
    // Reads of each add other than as an address: any leaves it computed.
    let mut other = vec![false; n];
    for b in &f.blocks {
        for i in &b.insts {
            match *i {
                Inst::Load { .. } => {}
                Inst::Store { value, .. } => other[value.index()] = true,
                _ => i.for_each_use(|v| other[v.index()] = true),
            }
        }
        b.term.for_each_use(|v| other[v.index()] = true);
    }
    for (v, add) in adds.iter_mut().enumerate() {
        if let Some(a) = *add
            && (other[v] || consts[a.base.index()] || consts[a.index.index()])
        {
            *add = None;
        }
    }
    if adds.iter().all(Option::is_none) {
        return Vec::new();
    }
    adds
}

/// The folded adds `adds` with their shifts folded too: an operand `i << k` (k from 1
/// to 3) that nothing but folded adds reads becomes the scaled index `[base + i·2ᵏ]`, and
/// is never computed either.
fn with_scales(f: &Function, adds: &[Option<Address>]) -> Vec<Option<Address>> {
    if adds.is_empty() {
        return Vec::new();
    }
    let n = f.num_values();
    let mut konst: Vec<Option<i64>> = vec![None; n];
    let mut shl: Vec<Option<(Value, Value)>> = vec![None; n];
    // Reads of each value other than as a folded add's operand.
    let mut other = vec![false; n];
    for b in &f.blocks {
        for i in &b.insts {
            match *i {
                Inst::Const { dst, value } => konst[dst.index()] = Some(value),
                Inst::Binary {
                    op: BinOp::Shl,
                    dst,
                    a,
                    b,
                } => shl[dst.index()] = Some((a, b)),
                _ => {}
            }
            if adds[i.dst().index()].is_none() {
                i.for_each_use(|v| {
                    if adds[v.index()].is_none() {
                        other[v.index()] = true;
                    }
                });
            }
        }
        b.term.for_each_use(|v| other[v.index()] = true);
    }
    let scaled = |v: Value| -> Option<(Value, u8)> {
        let (i, k) = shl[v.index()]?;
        let k = konst[k.index()]?;
        ((1..=3).contains(&k) && !other[v.index()] && konst[i.index()].is_none())
            .then_some((i, k as u8))
    };
    adds.iter()
        .map(|a| {
            let a = (*a)?;
            Some(match (scaled(a.index), scaled(a.base)) {
                (Some((i, k)), _) => Address {
                    base: a.base,
                    index: i,
                    shift: k,
                },
                (None, Some((i, k))) => Address {
                    base: a.index,
                    index: i,
                    shift: k,
                },
                _ => a,
            })
        })
        .collect()
}

/// Calls `use_` for each value `i` reads, a folded address as its base and index (and a
/// folded add itself, never computed, reads nothing).
#[inline]
fn each_use(i: &Inst, folded: &[Option<Address>], mut use_: impl FnMut(Value)) {
    if folded.is_empty() {
        return i.for_each_use(use_);
    }
    if folded[i.dst().index()].is_some() {
        return;
    }
    i.for_each_use(|v| match folded[v.index()] {
        Some(a) => {
            use_(a.base);
            use_(a.index);
        }
        None => use_(v),
    });
}

/// One bit per value for every block, in one allocation: row `b` is block `b`'s set.
struct BitRows {
    words: usize,
    bits: Vec<u64>,
}

impl BitRows {
    fn new(rows: usize, n: usize) -> BitRows {
        let words = n.div_ceil(64);
        BitRows {
            words,
            bits: vec![0; rows * words],
        }
    }
    #[inline]
    fn row(&self, r: usize) -> &[u64] {
        &self.bits[r * self.words..(r + 1) * self.words]
    }
    #[inline]
    fn insert(&mut self, r: usize, i: usize) {
        self.bits[r * self.words + i / 64] |= 1 << (i % 64);
    }
    #[inline]
    fn contains(&self, r: usize, i: usize) -> bool {
        self.bits[r * self.words + i / 64] & (1 << (i % 64)) != 0
    }
}

fn ones(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(wi, &w)| {
        let mut w = w;
        core::iter::from_fn(move || {
            if w == 0 {
                return None;
            }
            let b = w.trailing_zeros() as usize;
            w &= w - 1;
            Some(wi * 64 + b)
        })
    })
}

/// Live-out sets per block as bit rows, by the classic dataflow over gen and kill sets:
/// cheapest for a function of few blocks, where a word holds 64 values.
fn dense_live_out(f: &Function, order: &[Block], folded: &[Option<Address>]) -> BitRows {
    let n = f.num_values();
    let nb = f.blocks.len();
    let mut gen_ = BitRows::new(nb, n);
    let mut kill = BitRows::new(nb, n);
    for &b in order {
        let data = f.block(b);
        let bi = b.index();
        for p in &data.params {
            kill.insert(bi, p.index());
        }
        for i in &data.insts {
            each_use(i, folded, |v| {
                if !kill.contains(bi, v.index()) {
                    gen_.insert(bi, v.index());
                }
            });
            kill.insert(bi, i.dst().index());
        }
        data.term.for_each_use(|v| {
            if !kill.contains(bi, v.index()) {
                gen_.insert(bi, v.index());
            }
        });
    }
    let words = gen_.words;
    let mut live_in = BitRows::new(nb, n);
    let mut live_out = BitRows::new(nb, n);
    // Without an edge back to a block laid out no later than its source, one pass from the
    // last block up sees every successor's live-in set finished: no second pass to
    // confirm.
    let mut at = vec![u32::MAX; nb];
    for (k, b) in order.iter().enumerate() {
        at[b.index()] = k as u32;
    }
    let cyclic = crate::cfg::goes_back(f, order, &at);
    let mut changed = true;
    while changed {
        changed = false;
        for &b in order.iter().rev() {
            let bi = b.index();
            for s in f.block(b).term.successors() {
                for w in 0..words {
                    let x = live_in.bits[s.index() * words + w];
                    live_out.bits[bi * words + w] |= x;
                }
            }
            // in = gen ∪ (out − kill)
            for w in 0..words {
                let new = live_in.bits[bi * words + w]
                    | gen_.bits[bi * words + w]
                    | (live_out.bits[bi * words + w] & !kill.bits[bi * words + w]);
                changed |= new != live_in.bits[bi * words + w];
                live_in.bits[bi * words + w] = new;
            }
        }
        changed &= cyclic;
    }
    live_out
}

/// Each block's live-out set: bit rows from the dense dataflow for a small function, or
/// lists found by path exploration — from each use outside the defining block up through
/// the predecessors to the definition (Appel's and Boissinot et al.'s SSA liveness), work
/// the size of the sets, where bit rows cost blocks × values words per pass (and a memset
/// of each): quadratic in a function of many small blocks, as a checked operation's
/// failure edge makes. The lists leave constants out: they live in no register.
enum LiveOut {
    /// Bit rows, from the dense dataflow ([`dense_live_out`]).
    Rows(BitRows),
    /// `values[start[b]..start[b + 1]]`, from path exploration.
    Lists { start: Vec<u32>, values: Vec<u32> },
}

impl LiveOut {
    fn each(&self, b: Block, mut visit: impl FnMut(usize)) {
        match self {
            LiveOut::Rows(rows) => ones(rows.row(b.index())).for_each(visit),
            LiveOut::Lists { start, values } => values
                [start[b.index()] as usize..start[b.index() + 1] as usize]
                .iter()
                .for_each(|&v| visit(v as usize)),
        }
    }
}

/// Per value: the block defining it (`u32::MAX`: a constant, or none); and the uses
/// outside it, as (value, block) pairs grouped by value (`uses[at[v]..at[v + 1]]`,
/// repeats included).
struct OutsideUses {
    def_block: Vec<u32>,
    at: Vec<u32>,
    uses: Vec<u32>,
}

impl OutsideUses {
    fn of(f: &Function, order: &[Block], folded: &[Option<Address>]) -> OutsideUses {
        let n = f.num_values();
        let mut def_block = vec![u32::MAX; n];
        for &b in order {
            let data = f.block(b);
            for p in &data.params {
                def_block[p.index()] = b.0;
            }
            for i in &data.insts {
                if !matches!(i, Inst::Const { .. } | Inst::Bool { .. }) {
                    def_block[i.dst().index()] = b.0;
                }
            }
        }
        // Counted, then placed: a counting sort by value.
        let mut at = vec![0u32; n + 1];
        let each = |visit: &mut dyn FnMut(u32, u32)| {
            for &b in order {
                let data = f.block(b);
                let mut note = |v: Value| {
                    let d = def_block[v.index()];
                    if d != b.0 && d != u32::MAX {
                        visit(v.0, b.0);
                    }
                };
                for i in &data.insts {
                    each_use(i, folded, &mut note);
                }
                data.term.for_each_use(&mut note);
            }
        };
        each(&mut |v, _| at[v as usize + 1] += 1);
        for v in 0..n {
            at[v + 1] += at[v];
        }
        let mut next = at.clone();
        let mut uses = vec![0u32; at[n] as usize];
        each(&mut |v, b| {
            uses[next[v as usize] as usize] = b;
            next[v as usize] += 1;
        });
        OutsideUses {
            def_block,
            at,
            uses,
        }
    }

    /// Walks up from each value's uses to its definition, calling `live_in(v, b)` once
    /// for every block `b` that `v` is live into and `live_out(v, p)` for each of its
    /// predecessors `p` (repeats possible: a predecessor of two such blocks).
    fn explore(&self, nb: usize, preds: &Predecessors, mut live_out: impl FnMut(u32, Block)) {
        // live_in[b] == v + 1: v is already known live into b.
        let mut live_in = vec![0u32; nb];
        let mut work: Vec<u32> = Vec::new();
        for v in 0..self.def_block.len() {
            let uses = &self.uses[self.at[v] as usize..self.at[v + 1] as usize];
            if uses.is_empty() {
                continue;
            }
            work.extend_from_slice(uses);
            let (d, stamp) = (self.def_block[v], v as u32 + 1);
            while let Some(b) = work.pop() {
                if live_in[b as usize] == stamp {
                    continue;
                }
                live_in[b as usize] = stamp;
                for &p in preds.of(Block(b)) {
                    live_out(v as u32, p);
                    if p.0 != d && live_in[p.index()] != stamp {
                        work.push(p.0);
                    }
                }
            }
        }
    }
}

/// Below this many words of bits per set (blocks × values / 64), the dense dataflow is
/// cheaper than path exploration: its work is blocks × words per pass, exploration's the
/// number of (value, block) pairs live — in the phases benchmark's functions (up to ~180
/// blocks, ~900 values) dense wins by 5%, in a long expression's (~700 blocks, a failure
/// edge per checked operation, ~2,500 values each live over a few blocks) exploration by
/// a fifth of the whole compile.
const DENSE_WORDS_MAX: usize = 4096;

/// Live-out sets per block (block parameters count as defined at the block's start).
fn liveness(
    f: &Function,
    order: &[Block],
    folded: &[Option<Address>],
    preds: &Predecessors,
) -> LiveOut {
    let nb = f.blocks.len();
    if nb * f.num_values().div_ceil(64) <= DENSE_WORDS_MAX {
        return LiveOut::Rows(dense_live_out(f, order, folded));
    }
    let outside = OutsideUses::of(f, order, folded);
    // (block, value) pairs, each once: the walk visits values in order, so a stamp per
    // block drops the repeats.
    let mut stamp = vec![0u32; nb];
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    outside.explore(nb, preds, |v, p| {
        if stamp[p.index()] != v + 1 {
            stamp[p.index()] = v + 1;
            pairs.push((p.0, v));
        }
    });
    let mut start = vec![0u32; nb + 1];
    for &(b, _) in &pairs {
        start[b as usize + 1] += 1;
    }
    for b in 0..nb {
        start[b + 1] += start[b];
    }
    let mut next = start.clone();
    let mut values = vec![0u32; pairs.len()];
    for &(b, v) in &pairs {
        values[next[b as usize] as usize] = v;
        next[b as usize] += 1;
    }
    let lists = LiveOut::Lists { start, values };
    #[cfg(debug_assertions)]
    {
        // The two ways agree (the dense sets hold constants too, which the lists leave out).
        let rows = LiveOut::Rows(dense_live_out(f, order, folded));
        for &b in order {
            let (mut want, mut got) = (Vec::new(), Vec::new());
            rows.each(b, |v| {
                if outside.def_block[v] != u32::MAX {
                    want.push(v)
                }
            });
            lists.each(b, |v| got.push(v));
            got.sort_unstable();
            debug_assert_eq!(got, want, "{}: live out of {b:?}", f.name);
        }
    }
    lists
}

/// Above this many blocks × values, each value gets one range without holes: the live-out
/// lists could grow towards blocks × values entries.
const LIVE_OUT_LISTS_MAX: usize = 1 << 22;

/// Stretches each value's interval end over every block it is live out of (the path
/// exploration of [`liveness`], keeping only the latest end): the work is the size of the
/// live ranges counted in blocks, and nothing is stored per block.
fn stretch_over_live_blocks(
    f: &Function,
    order: &[Block],
    block_end: &[u32],
    end: &mut [u32],
    folded: &[Option<Address>],
    preds: &Predecessors,
) {
    OutsideUses::of(f, order, folded).explore(f.blocks.len(), preds, |v, p| {
        let e = &mut end[v as usize];
        *e = (*e).max(block_end[p.index()]);
    });
}

/// A value's lifetime: its live ranges (`Ranges::list[first..last]`, sorted, disjoint,
/// inclusive), from the first range's start to the last one's end.
#[derive(Clone, Copy, Debug)]
struct Interval {
    value: Value,
    start: u32,
    end: u32,
    first: u32,
    last: u32,
}

impl Interval {
    /// Whether spilling `self` costs less than spilling `other`, given each value's
    /// weight (`weight`, [`Numbering::weight`]: its definition and uses, each weighed by
    /// the depth of its loop): the lower weight per position held goes first (a value read
    /// in an inner loop keeps its register over one that only lives across the loop, a
    /// value read once over a long stretch goes before one read often); at equal cost the
    /// one that ends later.
    fn cheaper_to_spill(&self, other: &Interval, weight: &[u32]) -> bool {
        let span = |i: &Interval| u64::from(i.end - i.start + 1);
        let w = |i: &Interval| u64::from(weight[i.value.index()]);
        let (a, b) = (w(self) * span(other), w(other) * span(self));
        a < b || (a == b && self.end > other.end)
    }
}

/// Allocates a location to every value of `f`: live ranges over a linear numbering of the
/// instructions, then a linear scan that prefers the registers hints name.
///
/// Addresses are folded into their loads and stores ([`folded_adds`]) only where both
/// operands end in registers: a spilled one would make each access add again, so such
/// adds are computed after all, and the allocation is made again without them (at most
/// twice more; the third time with none folded).
pub fn allocate(f: &Function) -> Allocation {
    let shape = Shape::of(f);
    let mut a = allocate_folding(f, &shape);
    a.preds = shape.preds;
    a.order = shape.order;
    a.cold = shape.cold;
    a
}

/// What the allocation needs of the control flow (the same on every try of
/// [`allocate_folding`]).
struct Shape {
    preds: Predecessors,
    cold: Vec<bool>,
    /// Reverse postorder with the cold blocks (failures: [`crate::cfg::cold`]) moved after
    /// the rest, as code generation lays them out: the hot path falls through past its
    /// checks, and a call in a cold block clobbers only what is live there.
    order: Vec<Block>,
    depth: Vec<u8>,
    hints: Hints,
}

impl Shape {
    fn of(f: &Function) -> Shape {
        let preds = Predecessors::compute(f);
        let is_cold = crate::cfg::cold(f, &preds);
        // Reverse postorder split three ways, each in order: the hot blocks, the cold ones
        // the front end marked that go back to hot code (placed among the hot), the rest.
        let rpo = reverse_postorder(f);
        let mut order = Vec::with_capacity(rpo.len());
        let (mut rejoin, mut cold) = (Vec::new(), Vec::new());
        for b in rpo {
            if !is_cold[b.index()] {
                order.push(b);
            } else if f.block(b).cold
                && f.block(b)
                    .term
                    .successors()
                    .as_slice()
                    .iter()
                    .any(|s| !is_cold[s.index()])
            {
                rejoin.push(b);
            } else {
                cold.push(b);
            }
        }
        place_rejoining(f, &mut order, rejoin);
        order.extend(cold);
        let depth = loop_depths(f, &order, &is_cold);
        let hints = Hints::of(f, &order);
        Shape {
            preds,
            cold: is_cold,
            order,
            depth,
            hints,
        }
    }
}

/// Allocates with the adds read only as addresses folded into them, undoing the folds
/// whose base or index was spilled (a few tries).
fn allocate_folding(f: &Function, shape: &Shape) -> Allocation {
    let mut adds = folded_adds(f);
    if adds.is_empty() {
        return allocate_with(f, adds, shape);
    }
    for _ in 0..3 {
        let folded = with_scales(f, &adds);
        let a = allocate_with(f, folded.clone(), shape);
        let spilled = |v: Value| matches!(a.locs[v.index()], Loc::Stack(_));
        let mut undone = false;
        for (add, fold) in adds.iter_mut().zip(&folded) {
            if fold.is_some_and(|x| spilled(x.base) || spilled(x.index)) {
                *add = None;
                undone = true;
            }
        }
        if !undone {
            return a;
        }
    }
    allocate_with(f, Vec::new(), shape)
}

fn allocate_with(f: &Function, folded: Vec<Option<Address>>, shape: &Shape) -> Allocation {
    let order = &shape.order;
    let mut num = number(f, order, &folded, &shape.depth);
    let ranges = live_ranges(f, order, &mut num, &folded, &shape.preds);
    let Numbering {
        mut locs,
        calls,
        block_start,
        weight,
        unread,
        ..
    } = num;
    let mut intervals: Vec<Interval> = Vec::with_capacity(ranges.per_value.len());
    for (v, &(first, last)) in ranges.per_value.iter().enumerate() {
        if first < last
            && !unread[v]
            && !matches!(locs[v], Loc::Const(_))
            && folded.get(v).is_none_or(Option::is_none)
        {
            intervals.push(Interval {
                value: Value(v as u32),
                start: ranges.list[first as usize].0,
                end: ranges.list[last as usize - 1].1,
                first,
                last,
            });
        }
    }
    // By start, then value: `intervals` is in value order, and the sort is stable.
    let bound = intervals.iter().map(|i| i.start as usize + 1).max();
    crate::sort::sort_by_small_key(&mut intervals, bound.unwrap_or(0), |i| i.start as usize);
    // rcx and rdx are code generation's scratch only for shifts by a variable count and
    // for division; a function without them may keep values there.
    let caller = if uses_rcx_rdx(f, &locs) {
        CALLER_MASK
    } else {
        CALLER_MASK | bit(Gpr::Rdx) | bit(Gpr::Rcx)
    };
    let mut scan = Scan {
        ranges: &ranges.list,
        cursor: intervals.iter().map(|i| i.first).collect(),
        active: Vec::with_capacity(16),
        inactive: Vec::with_capacity(16),
        used_callee: 0,
        slots: 0,
        next_event: 0,
    };
    for k in 0..intervals.len() {
        let iv = intervals[k];
        scan.advance(&intervals, iv.start);
        let needs_callee = (iv.first..iv.last).any(|r| {
            // A call at position c clobbers a value live on both sides of it: from < c < to.
            let (from, to) = ranges.list[r as usize];
            let first = calls.partition_point(|&c| c <= from);
            calls.get(first).is_some_and(|&c| c < to)
        });
        let allowed = if needs_callee {
            CALLEE_MASK
        } else {
            caller | CALLEE_MASK
        };
        // A register is free if no active interval holds it and no interval in a lifetime
        // hole takes it again within this one's ranges (no splitting: a value keeps its
        // register all its life). The second test only for the registers asked about.
        let open = allowed & !scan.active.iter().fold(0u16, |m, &(_, r)| m | bit(r));
        let wanted = shape.hints.wanted(iv.value, &locs, needs_callee);
        let reg = wanted
            .iter()
            .flatten()
            .chain(PREFERENCE.iter())
            .copied()
            .find(|&r| open & bit(r) != 0 && !scan.reserved(&intervals, &iv, r));
        let reg = reg.or_else(|| {
            let reserved = Gpr::ALL
                .iter()
                .filter(|&&r| allowed & bit(r) != 0 && scan.reserved(&intervals, &iv, r))
                .fold(0u16, |m, &r| m | bit(r));
            scan.spill_cheapest(&intervals, &iv, allowed & !reserved, &weight, &mut locs)
        });
        match reg {
            Some(r) => {
                scan.used_callee |= bit(r) & CALLEE_MASK;
                locs[iv.value.index()] = Loc::Reg(r);
                scan.active.push((k, r));
                // (Its first range's end is where it may leave the active list.)
                let first_end = ranges.list[iv.first as usize].1;
                scan.next_event = scan.next_event.min(first_end.saturating_add(1));
            }
            None => {
                locs[iv.value.index()] = Loc::Stack(scan.slots);
                scan.slots += 1;
            }
        }
    }
    let callee_saved = CALLEE_SAVED
        .iter()
        .copied()
        .filter(|&r| scan.used_callee & bit(r) != 0)
        .collect();
    // A register is live into a block when its value's ranges cover the block's start.
    // (In order of position: the numbering went through `order`.)
    let starts: Vec<(u32, Block)> = order.iter().map(|&b| (block_start[b.index()], b)).collect();
    debug_assert!(starts.is_sorted());
    let mut live_in_regs = vec![0u16; f.blocks.len()];
    for iv in &intervals {
        let Loc::Reg(r) = locs[iv.value.index()] else {
            continue;
        };
        for &(from, to) in &ranges.list[iv.first as usize..iv.last as usize] {
            let first = starts.partition_point(|&(s, _)| s < from);
            for &(_, b) in starts[first..].iter().take_while(|&&(s, _)| s <= to) {
                live_in_regs[b.index()] |= bit(r);
            }
        }
    }
    // (The control flow's part, the same on every try, is [`allocate`]'s to fill in.)
    Allocation {
        locs,
        slots: scan.slots,
        callee_saved,
        order: Vec::new(),
        cold: Vec::new(),
        live_in_regs,
        folded,
        preds: Predecessors::default(),
    }
}

pub(crate) fn bit(r: Gpr) -> u16 {
    1 << r as u16
}

const fn mask(regs: &[Gpr]) -> u16 {
    let mut m = 0;
    let mut i = 0;
    while i < regs.len() {
        m |= 1 << regs[i] as u16;
        i += 1;
    }
    m
}

/// Whether code generation needs rcx and rdx as scratch registers in `f`: a shift by a
/// count that is not a constant, a checked operation other than add, subtract and multiply.
fn uses_rcx_rdx(f: &Function, locs: &[Loc]) -> bool {
    f.blocks.iter().any(|b| {
        b.insts.iter().any(|i| {
            matches!(i, Inst::Binary { op: BinOp::Shl | BinOp::Sar | BinOp::Shr, b, .. }
                if !matches!(locs[b.index()], Loc::Const(_)))
        }) || matches!(&b.term, Term::Checked { op, .. }
            if !matches!(op, CheckedOp::Add | CheckedOp::Sub | CheckedOp::Mul))
    })
}

const CALLER_MASK: u16 = mask(&CALLER_SAVED);
const CALLEE_MASK: u16 = mask(&CALLEE_SAVED);
/// Places the cold blocks the front end marked that go back to hot code (a negative index
/// counted from the end): each right after the end of the innermost loop around the block
/// it goes back to — the first block at or after that one with an edge back — so that the
/// values live there stay live only a little past the loop, not to the end of the
/// function, where the failures are (one location per value: a long life costs a
/// register everywhere).
fn place_rejoining(f: &Function, order: &mut Vec<Block>, rejoin: Vec<Block>) {
    if rejoin.is_empty() {
        return;
    }
    let mut position = vec![usize::MAX; f.blocks.len()];
    for (i, b) in order.iter().enumerate() {
        position[b.index()] = i;
    }
    let back = |i: usize| {
        let t = &f.block(order[i]).term;
        t.successors()
            .as_slice()
            .iter()
            .any(|s| position[s.index()] <= i)
    };
    // After which hot block each goes (order.len(): at the end of the hot ones).
    // (where, which rejoin block: the order kept among those going after one block, which
    // a unique key keeps through an unstable sort)
    let mut after: Vec<(usize, usize, Block)> = rejoin
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            let succs = f.block(c).term.successors();
            let to = succs.as_slice().iter().map(|s| position[s.index()]).min();
            let at = to
                .filter(|&p| p != usize::MAX)
                .and_then(|p| (p..order.len()).find(|&i| back(i)));
            (at.map_or(order.len(), |i| i + 1), k, c)
        })
        .collect();
    crate::sort::sort(&mut after);
    let hot = core::mem::take(order);
    let mut next = after.into_iter().peekable();
    for (i, b) in hot.into_iter().enumerate() {
        while let Some((_, _, c)) = next.next_if(|&(at, _, _)| at == i) {
            order.push(c);
        }
        order.push(b);
    }
    order.extend(next.map(|(_, _, c)| c));
}

/// The order free registers are taken in: those calls clobber first (no save needed),
/// rdx and rcx last of those (argument registers a call's moves may have to shuffle).
const PREFERENCE: [Gpr; 12] = [
    CALLER_SAVED[0],
    CALLER_SAVED[1],
    CALLER_SAVED[2],
    CALLER_SAVED[3],
    CALLER_SAVED[4],
    Gpr::Rdx,
    Gpr::Rcx,
    CALLEE_SAVED[0],
    CALLEE_SAVED[1],
    CALLEE_SAVED[2],
    CALLEE_SAVED[3],
    CALLEE_SAVED[4],
];

/// Within one block: each value's definition and last use there, and which values those are.
struct Seen {
    def: Vec<u32>,
    last: Vec<u32>,
    touched: Vec<u32>,
}

impl Seen {
    fn touch(&mut self, v: Value) {
        if self.def[v.index()] == u32::MAX && self.last[v.index()] == u32::MAX {
            self.touched.push(v.0);
        }
    }
    fn define(&mut self, v: Value, pos: u32) {
        self.touch(v);
        self.def[v.index()] = pos;
    }
    fn read(&mut self, v: Value, pos: u32) {
        self.touch(v);
        self.last[v.index()] = pos;
    }
}

/// Per value: its range being extended block by block (`u32::MAX`: none yet).
struct OpenRanges(Vec<(u32, u32)>);

impl OpenRanges {
    fn add(&mut self, raw: &mut Vec<(u32, u32, u32)>, v: usize, from: u32, to: u32) {
        let o = &mut self.0[v];
        if o.0 != u32::MAX && from <= o.1 + 1 {
            o.1 = o.1.max(to);
            return;
        }
        if o.0 != u32::MAX {
            raw.push((v as u32, o.0, o.1));
        }
        *o = (from, to);
    }

    fn flush(&self, raw: &mut Vec<(u32, u32, u32)>) {
        for (v, &(from, to)) in self.0.iter().enumerate() {
            if from != u32::MAX {
                raw.push((v as u32, from, to));
            }
        }
    }
}

/// Every value's live ranges: `list[per_value[v].0..per_value[v].1]`, sorted and merged.
struct Ranges {
    per_value: Vec<(u32, u32)>,
    list: Vec<(u32, u32)>,
}

/// The live ranges of every value, block by block: a value live out of a block covers it
/// from its definition (or the block's start) to the block's end; one used but not live out
/// covers it up to its last use there. Between blocks where it is not live it has a hole,
/// which another value's register may fill (a loop's new accumulator takes the old one's
/// register although the old one is read again after the loop). Very large functions,
/// whose dense liveness would cost blocks × values, get one range per value without holes.
fn live_ranges(
    f: &Function,
    order: &[Block],
    num: &mut Numbering,
    folded: &[Option<Address>],
    preds: &Predecessors,
) -> Ranges {
    let n = f.num_values();
    let nb = f.blocks.len();
    let mut raw: Vec<(u32, u32, u32)> = Vec::with_capacity(n + n / 2);
    if nb.saturating_mul(n) > LIVE_OUT_LISTS_MAX {
        stretch_over_live_blocks(f, order, &num.block_end, &mut num.end, folded, preds);
        for v in 0..n {
            if num.start[v] != u32::MAX {
                raw.push((v as u32, num.start[v], num.end[v]));
            }
        }
    } else {
        let live_out = liveness(f, order, folded, preds);
        // out_mark[v] == b + 1: v is live out of block b, the one being walked.
        let mut out_mark = vec![0u32; n];
        let mut seen = Seen {
            def: vec![u32::MAX; n],
            last: vec![u32::MAX; n],
            touched: Vec::with_capacity(n),
        };
        // Each value's latest range, extended while the next block continues it: far fewer
        // ranges than (value, block) pairs reach the sort.
        let mut open = OpenRanges(vec![(u32::MAX, 0); n]);
        for &b in order {
            let data = f.block(b);
            let (from, to) = (num.block_start[b.index()], num.block_end[b.index()]);
            for p in &data.params {
                seen.define(*p, from);
            }
            let mut pos = from + 2;
            for i in &data.insts {
                each_use(i, folded, |v| seen.read(v, pos));
                seen.define(i.dst(), pos + 1);
                pos += 2;
            }
            data.term.for_each_use(|v| seen.read(v, pos));
            live_out.each(b, |v| {
                out_mark[v] = b.0 + 1;
                let s = if seen.def[v] == u32::MAX {
                    from
                } else {
                    seen.def[v]
                };
                open.add(&mut raw, v, s, to);
            });
            for &v in &seen.touched {
                let v = v as usize;
                if out_mark[v] != b.0 + 1 {
                    let s = if seen.def[v] == u32::MAX {
                        from
                    } else {
                        seen.def[v]
                    };
                    let e = if seen.last[v] == u32::MAX {
                        s
                    } else {
                        seen.last[v]
                    };
                    open.add(&mut raw, v, s, e);
                }
                seen.def[v] = u32::MAX;
                seen.last[v] = u32::MAX;
            }
            seen.touched.clear();
        }
        open.flush(&mut raw);
        #[cfg(debug_assertions)]
        {
            // Path exploration (the way very large functions go) agrees with the dense
            // sets on where every value's life ends.
            let mut ends = num.end.clone();
            stretch_over_live_blocks(f, order, &num.block_end, &mut ends, folded, preds);
            let mut last = vec![None; n];
            for &(v, _, to) in &raw {
                last[v as usize] = last[v as usize].max(Some(to));
            }
            for (v, &e) in ends.iter().enumerate() {
                if num.start[v] != u32::MAX && !matches!(num.locs[v], Loc::Const(_)) {
                    debug_assert_eq!(last[v], Some(e), "{}: v{v}'s interval", f.name);
                }
            }
        }
    }
    // Each value's ranges come in position order, already merged (no two touch): a
    // counting sort by value keeps them so.
    let mut per_value = vec![(0u32, 0u32); n];
    for &(v, _, _) in &raw {
        per_value[v as usize].1 += 1;
    }
    let mut next = 0u32;
    for pv in per_value.iter_mut() {
        let count = pv.1;
        *pv = (next, next);
        next += count;
    }
    let mut list = vec![(0u32, 0u32); raw.len()];
    for &(v, from, to) in &raw {
        let pv = &mut per_value[v as usize];
        list[pv.1 as usize] = (from, to);
        pv.1 += 1;
    }
    Ranges { per_value, list }
}

/// Positions over the blocks in order (two per instruction: uses at even, the definition
/// at odd), the intervals within blocks, and the constants' locations.
struct Numbering {
    locs: Vec<Loc>,
    start: Vec<u32>,
    end: Vec<u32>,
    /// Positions of calls.
    calls: Vec<u32>,
    /// Each block's first position (its parameters') and last one.
    block_start: Vec<u32>,
    block_end: Vec<u32>,
    /// Per value: its definition and uses, each weighed 8^(loop depth of its block)
    /// (saturating).
    weight: Vec<u32>,
    /// Per value: made by an instruction without effects (not a call, load or store) and
    /// read by none (a shift folded into the addresses that read it): it gets no
    /// location, and is not computed.
    unread: Vec<bool>,
}

/// Each block's loop depth as laid out in `order`: an edge to a block placed no later than
/// its source closes a loop over the blocks between them (reverse postorder keeps a loop's
/// blocks together, its cold exits aside). Cold blocks are depth 0 and close no loop: they
/// run rarely, and those placed among the hot ones (the rejoining failures) would make
/// their neighbours look looped.
fn loop_depths(f: &Function, order: &[Block], cold: &[bool]) -> Vec<u8> {
    if !crate::cfg::may_loop(f) {
        // Every edge goes to a later block: no loop, however the blocks are laid out.
        return vec![0; f.blocks.len()];
    }
    let mut at = vec![u32::MAX; f.blocks.len()];
    for (i, b) in order.iter().enumerate() {
        at[b.index()] = i as u32;
    }
    let mut diff = vec![0i32; order.len() + 1];
    for &b in order {
        if cold[b.index()] {
            continue;
        }
        for s in f.block(b).term.successors() {
            let (from, to) = (at[s.index()], at[b.index()]);
            if !cold[s.index()] && from <= to {
                diff[from as usize] += 1;
                diff[to as usize + 1] -= 1;
            }
        }
    }
    let mut depth = vec![0u8; f.blocks.len()];
    let mut d = 0i32;
    for (i, &b) in order.iter().enumerate() {
        d += diff[i];
        if !cold[b.index()] {
            depth[b.index()] = d.clamp(0, 255) as u8;
        }
    }
    depth
}

/// What a definition or use at loop depth `d` weighs (deeper than 6 as 6).
fn weight_at(d: u8) -> u32 {
    1 << (3 * u32::from(d.min(6)))
}

fn number(f: &Function, order: &[Block], folded: &[Option<Address>], depth: &[u8]) -> Numbering {
    let n = f.num_values();
    let mut weight = vec![0u32; n];
    let mut locs = vec![Loc::None; n];
    let mut start = vec![u32::MAX; n];
    let mut end = vec![0u32; n];
    let mut calls: Vec<u32> = Vec::new();
    let mut read = vec![false; n];
    let mut pos = 0u32;
    let mut block_start = vec![0u32; f.blocks.len()];
    let mut block_end = vec![0u32; f.blocks.len()];
    for &b in order {
        let data = f.block(b);
        block_start[b.index()] = pos;
        let w = weight_at(depth[b.index()]);
        for p in &data.params {
            start[p.index()] = pos;
            end[p.index()] = pos;
            weight[p.index()] = weight[p.index()].saturating_add(w);
        }
        pos += 2;
        for i in &data.insts {
            each_use(i, folded, |v| {
                end[v.index()] = end[v.index()].max(pos);
                weight[v.index()] = weight[v.index()].saturating_add(w);
                read[v.index()] = true;
            });
            let d = i.dst().index();
            start[d] = pos + 1;
            end[d] = end[d].max(pos + 1);
            weight[d] = weight[d].saturating_add(w);
            match i {
                Inst::Const { value, .. } => locs[d] = Loc::Const(*value),
                Inst::Bool { value, .. } => locs[d] = Loc::Const(*value as i64),
                _ => {}
            }
            if i.is_call() {
                calls.push(pos);
            }
            pos += 2;
        }
        data.term.for_each_use(|v| {
            end[v.index()] = end[v.index()].max(pos);
            weight[v.index()] = weight[v.index()].saturating_add(w);
            read[v.index()] = true;
        });
        pos += 2;
        block_end[b.index()] = pos - 1;
    }
    let mut unread = vec![false; n];
    for &b in order {
        for i in f.block(b).insts.iter().filter(|i| !i.has_side_effects()) {
            unread[i.dst().index()] = !read[i.dst().index()];
        }
    }
    Numbering {
        locs,
        start,
        end,
        calls,
        block_start,
        block_end,
        weight,
        unread,
    }
}

/// No value (an empty slot of [`Hints::incoming`]).
const NONE: Value = Value(u32::MAX);

/// Registers that save a move if a value lands there. Block parameters and the arguments
/// jumping to them want each other's registers (a loop's new accumulator reuses the old
/// one's); a value whose use is as a call's i-th argument wants that argument register.
struct Hints {
    /// Up to two incoming arguments per parameter (enough to find a free register).
    incoming: Vec<[Value; 2]>,
    /// The parameter a value is passed to.
    flows_to: Vec<Option<Value>>,
    arg_hint: Vec<Option<Gpr>>,
}

impl Hints {
    fn of(f: &Function, order: &[Block]) -> Hints {
        let n = f.num_values();
        let mut h = Hints {
            incoming: vec![[NONE; 2]; n],
            flows_to: vec![None; n],
            arg_hint: vec![None; n],
        };
        // The function's parameters arrive in the argument registers.
        for (p, &r) in f.blocks[0].params.iter().zip(&ARG_REGS) {
            if CALLER_SAVED.contains(&r) {
                h.arg_hint[p.index()] = Some(r);
            }
        }
        for &b in order {
            let data = f.block(b);
            for i in &data.insts {
                if let Inst::Call { args, .. } | Inst::CallHost { args, .. } = i {
                    for (k, a) in args.iter().enumerate() {
                        if let Some(&r) = ARG_REGS.get(k).filter(|r| CALLER_SAVED.contains(r)) {
                            h.arg_hint[a.index()].get_or_insert(r);
                        }
                    }
                }
            }
            let mut edge = |t: &Target| {
                for (p, a) in f.block(t.block).params.iter().zip(&t.args) {
                    let slot = &mut h.incoming[p.index()];
                    if slot[0] == NONE {
                        slot[0] = *a;
                    } else if slot[1] == NONE {
                        slot[1] = *a;
                    }
                    h.flows_to[a.index()].get_or_insert(*p);
                }
            };
            data.term.for_each_target(&mut edge);
        }
        h
    }

    /// The registers `value` would like, best first.
    fn wanted(&self, value: Value, locs: &[Loc], needs_callee: bool) -> [Option<Gpr>; 3] {
        let v = value.index();
        let mut wanted: [Option<Gpr>; 3] = [None; 3];
        // Where the value goes next: a parameter that already has a register, or (through
        // parameters not allocated yet, such as a join block's) the one after it.
        let mut next = self.flows_to[v];
        for _ in 0..4 {
            let Some(p) = next else { break };
            if let Loc::Reg(r) = locs[p.index()] {
                wanted[0] = Some(r);
                break;
            }
            next = self.flows_to[p.index()];
        }
        wanted[1] = self.incoming[v]
            .iter()
            .filter(|a| **a != NONE)
            .find_map(|a| match locs[a.index()] {
                Loc::Reg(r) => Some(r),
                _ => None,
            });
        if !needs_callee {
            wanted[2] = self.arg_hint[v];
        }
        wanted
    }
}

/// The linear scan's state: intervals live at the current position (active) and those in a
/// lifetime hole there (inactive), with their registers.
struct Scan<'a> {
    ranges: &'a [(u32, u32)],
    /// Per interval: its first range that does not end before the current position.
    cursor: Vec<u32>,
    active: Vec<(usize, Gpr)>,
    inactive: Vec<(usize, Gpr)>,
    used_callee: u16,
    slots: u32,
    /// No interval changes list before this position: the least end of an active one's
    /// current range (plus one) and start of an inactive one's next range, as the last
    /// [`Scan::advance`] left them (an interval made active since lowers it).
    next_event: u32,
}

impl Scan<'_> {
    /// Moves intervals between active, inactive and done for position `pos` (in place:
    /// each list keeps its order, those moved go to the other's end).
    fn advance(&mut self, ivs: &[Interval], pos: u32) {
        if pos < self.next_event {
            // Nothing moves: the lists would come out as they are (their cursors catch up
            // when next asked).
            return;
        }
        let (ranges, cursor) = (self.ranges, &mut self.cursor);
        let mut next = u32::MAX;
        // Whether interval `k` covers `pos` (positions only grow: its cursor moves forward),
        // and the position where that next changes: past the covering range's end, or
        // the next range's start.
        let mut covers = |k: usize| {
            let (iv, c) = (&ivs[k], &mut cursor[k]);
            while *c < iv.last && ranges[*c as usize].1 < pos {
                *c += 1;
            }
            let live = *c < iv.last && ranges[*c as usize].0 <= pos;
            if *c < iv.last {
                let (from, to) = ranges[*c as usize];
                next = next.min(if live { to.saturating_add(1) } else { from });
            }
            live
        };
        let (active, inactive) = (&mut self.active, &mut self.inactive);
        active.retain(|&(k, r)| {
            if ivs[k].end < pos {
                return false;
            }
            let live = covers(k);
            if !live {
                inactive.push((k, r));
            }
            live
        });
        inactive.retain(|&(k, r)| {
            if ivs[k].end < pos {
                return false;
            }
            let live = covers(k);
            if live {
                active.push((k, r));
            }
            !live
        });
        self.next_event = next;
    }

    /// Whether an interval in a lifetime hole holds `r` somewhere within `iv`'s ranges.
    fn reserved(&self, ivs: &[Interval], iv: &Interval, r: Gpr) -> bool {
        self.inactive
            .iter()
            .any(|&(j, x)| x == r && self.intersect(j, &ivs[j], iv))
    }

    /// Whether interval `k` (`a`) and `b`, which starts at the current position, are live
    /// at some same position (`a`'s ranges before its cursor end before it).
    fn intersect(&self, k: usize, a: &Interval, b: &Interval) -> bool {
        let (mut i, mut j) = (self.cursor[k], b.first);
        while i < a.last && j < b.last {
            let (x, y) = (self.ranges[i as usize], self.ranges[j as usize]);
            if x.1 < y.0 {
                i += 1;
            } else if y.1 < x.0 {
                j += 1;
            } else {
                return true;
            }
        }
        false
    }

    /// No register is free: spills whichever of the candidates is cheapest to keep on the
    /// stack ([`Interval::cheaper_to_spill`]) — an active interval whose register `iv` may
    /// take (it is then `iv`'s), or `iv` (None).
    fn spill_cheapest(
        &mut self,
        ivs: &[Interval],
        iv: &Interval,
        allowed: u16,
        weight: &[u32],
        locs: &mut [Loc],
    ) -> Option<Gpr> {
        let victim = self
            .active
            .iter()
            .enumerate()
            .filter(|(_, (_, r))| allowed & bit(*r) != 0)
            .reduce(|a, b| {
                if ivs[(b.1).0].cheaper_to_spill(&ivs[(a.1).0], weight) {
                    b
                } else {
                    a
                }
            })
            .map(|(i, _)| i);
        match victim {
            Some(i) if ivs[self.active[i].0].cheaper_to_spill(iv, weight) => {
                let (old, r) = self.active.swap_remove(i);
                locs[ivs[old].value.index()] = Loc::Stack(self.slots);
                self.slots += 1;
                Some(r)
            }
            _ => None,
        }
    }
}
