//! Register allocation: liveness, live intervals, linear scan (Poletto & Sarkar).
//!
//! Blocks are laid out in reverse postorder and their instructions numbered two apart: an
//! instruction reads its operands at its even position and writes its result one later, so
//! an operand's register can be reused by the result. Each value gets one interval
//! [definition, last use], stretched over every block it is live out of — one register or one
//! stack slot for its whole life, no splitting. Constants get no register at all: code
//! generation rematerialises them as immediates at each use.
//!
//! Values live across a call may only take callee-saved registers (rbx, r12–r15) or the
//! stack; others prefer the caller-saved ones (rsi, rdi, r8–r10), which cost no save in the
//! prologue. rax, rcx, rdx and r11 are never allocated: code generation uses them as scratch
//! (division, shift counts, results, memory-to-memory moves).

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
    /// Block layout order (reachable blocks, reverse postorder).
    pub order: Vec<Block>,
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
    fn row(&self, r: usize) -> &[u64] {
        &self.bits[r * self.words..(r + 1) * self.words]
    }
    fn insert(&mut self, r: usize, i: usize) {
        self.bits[r * self.words + i / 64] |= 1 << (i % 64);
    }
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

/// Live-out sets per block (block parameters count as defined at the block's start).
fn liveness(f: &Function, order: &[Block]) -> BitRows {
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
            i.for_each_use(|v| {
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
    }
    live_out
}

/// Above this many blocks × values, liveness is found by path exploration.
const DENSE_LIVENESS_BITS: usize = 1 << 22;

/// Stretches each value's interval end over every block it is live out of: for each use
/// in a block other than the definition's, the value is live into that block and out of
/// each of its predecessors, and so on upwards until the definition (path exploration, as
/// in Appel's and Boissinot et al.'s SSA liveness). The work is the size of the live
/// ranges counted in blocks; dense per-block bit sets cost blocks × values (gigabytes and
/// seconds for a function of thousands of statements).
fn stretch_over_live_blocks(f: &Function, block_end: &[u32], end: &mut [u32]) {
    let n = f.num_values();
    let nb = f.blocks.len();
    let preds = Predecessors::compute(f);
    let mut def_block = vec![u32::MAX; n];
    for (bi, b) in f.blocks.iter().enumerate() {
        for p in &b.params {
            def_block[p.index()] = bi as u32;
        }
        for i in &b.insts {
            // Constants get no interval (they are immediates wherever used).
            if !matches!(i, Inst::Const { .. } | Inst::Bool { .. }) {
                def_block[i.dst().index()] = bi as u32;
            }
        }
    }
    // The blocks each value is live into: (value, block) pairs, one per use outside the
    // defining block.
    let mut uses: Vec<(u32, u32)> = Vec::new();
    for (bi, b) in f.blocks.iter().enumerate() {
        let mut note = |v: Value| {
            if def_block[v.index()] != bi as u32 && def_block[v.index()] != u32::MAX {
                uses.push((v.0, bi as u32));
            }
        };
        for i in &b.insts {
            i.for_each_use(&mut note);
        }
        b.term.for_each_use(&mut note);
    }
    uses.sort_unstable();
    uses.dedup();
    // live_in[b] == v + 1: v is already known live into b.
    let mut live_in = vec![0u32; nb];
    let mut work: Vec<u32> = Vec::new();
    let mut k = 0;
    while k < uses.len() {
        let v = uses[k].0;
        while k < uses.len() && uses[k].0 == v {
            work.push(uses[k].1);
            k += 1;
        }
        let (d, stamp) = (def_block[v as usize], v + 1);
        let e = &mut end[v as usize];
        while let Some(b) = work.pop() {
            if live_in[b as usize] == stamp {
                continue;
            }
            live_in[b as usize] = stamp;
            for &p in preds.of(Block(b)) {
                *e = (*e).max(block_end[p.index()]);
                if p.0 != d && live_in[p.index()] != stamp {
                    work.push(p.0);
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Interval {
    value: Value,
    start: u32,
    end: u32,
}

/// Allocates a location to every value of `f`: live intervals over a linear numbering of
/// the instructions, then a linear scan that prefers the registers hints name.
pub fn allocate(f: &Function) -> Allocation {
    let order = reverse_postorder(f);
    let n = f.num_values();
    let mut num = number(f, &order);
    extend_over_live_blocks(f, &order, &mut num);
    let Numbering {
        mut locs,
        start,
        end,
        calls,
        ..
    } = num;
    let mut intervals: Vec<Interval> = (0..n)
        .filter(|&v| start[v] != u32::MAX && !matches!(locs[v], Loc::Const(_)))
        .map(|v| Interval {
            value: Value(v as u32),
            start: start[v],
            end: end[v],
        })
        .collect();
    intervals.sort_by_key(|i| (i.start, i.value));
    let hints = Hints::of(f, &order);
    let mut scan = Scan {
        free_caller: CALLER_SAVED.iter().rev().copied().collect(),
        free_callee: CALLEE_SAVED.iter().rev().copied().collect(),
        active: Vec::new(),
        used_callee: [false; 16],
        slots: 0,
    };
    for iv in intervals {
        scan.expire(iv.start);
        // A call at position c clobbers values with start < c < end.
        let first = calls.partition_point(|&c| c <= iv.start);
        let needs_callee = calls.get(first).is_some_and(|&c| c < iv.end);
        let wanted = hints.wanted(iv.value, &locs, needs_callee);
        let reg = scan.take_hinted(&wanted, needs_callee).or_else(|| {
            if needs_callee {
                scan.free_callee.pop()
            } else {
                scan.free_caller.pop().or_else(|| scan.free_callee.pop())
            }
        });
        let reg = reg.or_else(|| scan.spill_longer(&iv, needs_callee, &mut locs));
        match reg {
            Some(r) => {
                if CALLEE_SAVED.contains(&r) {
                    scan.used_callee[r as usize] = true;
                }
                locs[iv.value.index()] = Loc::Reg(r);
                scan.active.push((iv, r));
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
        .filter(|r| scan.used_callee[*r as usize])
        .collect();
    Allocation {
        locs,
        slots: scan.slots,
        callee_saved,
        order,
    }
}

/// Positions over the blocks in order (two per instruction: uses at even, the definition
/// at odd), the intervals within blocks, and the constants' locations.
struct Numbering {
    locs: Vec<Loc>,
    start: Vec<u32>,
    end: Vec<u32>,
    /// Positions of calls.
    calls: Vec<u32>,
    /// Each block's last position.
    block_end: Vec<u32>,
}

fn number(f: &Function, order: &[Block]) -> Numbering {
    let n = f.num_values();
    let mut locs = vec![Loc::None; n];
    let mut start = vec![u32::MAX; n];
    let mut end = vec![0u32; n];
    let mut calls: Vec<u32> = Vec::new();
    let mut pos = 0u32;
    let mut block_end = vec![0u32; f.blocks.len()];
    for &b in order {
        let data = f.block(b);
        for p in &data.params {
            start[p.index()] = pos;
            end[p.index()] = pos;
        }
        pos += 2;
        for i in &data.insts {
            i.for_each_use(|v| end[v.index()] = end[v.index()].max(pos));
            let d = i.dst().index();
            start[d] = pos + 1;
            end[d] = end[d].max(pos + 1);
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
        data.term
            .for_each_use(|v| end[v.index()] = end[v.index()].max(pos));
        pos += 2;
        block_end[b.index()] = pos - 1;
    }
    Numbering {
        locs,
        start,
        end,
        calls,
        block_end,
    }
}

/// Stretches every interval over the blocks its value is live out of. Dense bit sets are
/// the faster way for the usual function; their blocks × values grow quadratically, the
/// path exploration only with the live ranges.
fn extend_over_live_blocks(f: &Function, order: &[Block], num: &mut Numbering) {
    let n = f.num_values();
    let nb = f.blocks.len();
    if nb.saturating_mul(n) > DENSE_LIVENESS_BITS {
        stretch_over_live_blocks(f, &num.block_end, &mut num.end);
        return;
    }
    #[cfg(debug_assertions)]
    let mut check = num.end.clone();
    let live_out = liveness(f, order);
    for &b in order {
        for v in ones(live_out.row(b.index())) {
            num.end[v] = num.end[v].max(num.block_end[b.index()]);
        }
    }
    #[cfg(debug_assertions)]
    {
        // Both ways agree on every interval that gets one (constants get none).
        stretch_over_live_blocks(f, &num.block_end, &mut check);
        for (v, &want) in check.iter().enumerate() {
            if num.start[v] != u32::MAX && !matches!(num.locs[v], Loc::Const(_)) {
                debug_assert_eq!(num.end[v], want, "{}: v{v}'s interval", f.name);
            }
        }
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

/// The linear scan's state: free registers, the active intervals with theirs.
struct Scan {
    free_caller: Vec<Gpr>,
    free_callee: Vec<Gpr>,
    active: Vec<(Interval, Gpr)>,
    used_callee: [bool; 16],
    slots: u32,
}

impl Scan {
    /// Expires the intervals that ended before `start`.
    fn expire(&mut self, start: u32) {
        let (caller, callee) = (&mut self.free_caller, &mut self.free_callee);
        self.active.retain(|(a, r)| {
            if a.end >= start {
                return true;
            }
            if CALLEE_SAVED.contains(r) {
                callee.push(*r)
            } else {
                caller.push(*r)
            }
            false
        });
    }

    /// The first of `wanted` that is free (and survives calls, if `needs_callee`).
    fn take_hinted(&mut self, wanted: &[Option<Gpr>], needs_callee: bool) -> Option<Gpr> {
        let take =
            |r: Gpr, list: &mut Vec<Gpr>| list.iter().position(|&x| x == r).map(|i| list.remove(i));
        wanted.iter().flatten().find_map(|&r| {
            if CALLEE_SAVED.contains(&r) {
                take(r, &mut self.free_callee)
            } else if !needs_callee {
                take(r, &mut self.free_caller)
            } else {
                None
            }
        })
    }

    /// No register is free: spills whichever of the candidates lives longest — a
    /// compatible active interval (its register is then `iv`'s), or `iv` (None).
    fn spill_longer(&mut self, iv: &Interval, needs_callee: bool, locs: &mut [Loc]) -> Option<Gpr> {
        let victim = self
            .active
            .iter()
            .enumerate()
            .filter(|(_, (_, r))| !needs_callee || CALLEE_SAVED.contains(r))
            .max_by_key(|(_, (a, _))| a.end)
            .map(|(i, _)| i);
        match victim {
            Some(i) if self.active[i].0.end > iv.end => {
                let (old, r) = self.active.remove(i);
                locs[old.value.index()] = Loc::Stack(self.slots);
                self.slots += 1;
                Some(r)
            }
            _ => None,
        }
    }
}
