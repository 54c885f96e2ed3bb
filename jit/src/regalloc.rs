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

/// Allocates a location to every value of `f`.
pub fn allocate(f: &Function) -> Allocation {
    let order = reverse_postorder(f);
    let n = f.num_values();

    let mut locs = vec![Loc::None; n];
    let mut start = vec![u32::MAX; n];
    let mut end = vec![0u32; n];
    let mut calls: Vec<u32> = Vec::new();
    let mut pos = 0u32;
    let mut block_end = vec![0u32; f.blocks.len()];
    for &b in &order {
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
    // Dense bit sets are the faster way for the usual function; their blocks × values
    // grow quadratically, the path exploration only with the live ranges.
    let nb = f.blocks.len();
    if nb.saturating_mul(n) <= DENSE_LIVENESS_BITS {
        #[cfg(debug_assertions)]
        let mut check = end.clone();
        let live_out = liveness(f, &order);
        for &b in &order {
            for v in ones(live_out.row(b.index())) {
                end[v] = end[v].max(block_end[b.index()]);
            }
        }
        #[cfg(debug_assertions)]
        {
            // Both ways agree on every interval that gets one (constants get none).
            stretch_over_live_blocks(f, &block_end, &mut check);
            for v in 0..n {
                if start[v] != u32::MAX && !matches!(locs[v], Loc::Const(_)) {
                    debug_assert_eq!(end[v], check[v], "{}: v{v}'s interval", f.name);
                }
            }
        }
    } else {
        stretch_over_live_blocks(f, &block_end, &mut end);
    }

    let mut intervals: Vec<Interval> = (0..n)
        .filter(|&v| start[v] != u32::MAX && !matches!(locs[v], Loc::Const(_)))
        .map(|v| Interval {
            value: Value(v as u32),
            start: start[v],
            end: end[v],
        })
        .collect();
    intervals.sort_by_key(|i| (i.start, i.value));

    // Hints: registers that save a move if the value lands there. Block parameters and the
    // arguments jumping to them want each other's registers (a loop's new accumulator reuses
    // the old one's); a value whose use is as a call's i-th argument wants that argument
    // register.
    // Up to two incoming arguments per parameter are enough to find a free register.
    const NONE: Value = Value(u32::MAX);
    let mut incoming: Vec<[Value; 2]> = vec![[NONE; 2]; n];
    let mut flows_to: Vec<Option<Value>> = vec![None; n];
    let mut arg_hint: Vec<Option<Gpr>> = vec![None; n];
    for &b in &order {
        let data = f.block(b);
        for i in &data.insts {
            if let Inst::Call { args, .. } | Inst::CallHost { args, .. } = i {
                for (k, a) in args.iter().enumerate() {
                    if let Some(&r) = ARG_REGS.get(k).filter(|r| CALLER_SAVED.contains(r)) {
                        arg_hint[a.index()].get_or_insert(r);
                    }
                }
            }
        }
        let mut edge = |t: &Target| {
            for (p, a) in f.block(t.block).params.iter().zip(&t.args) {
                let slot = &mut incoming[p.index()];
                if slot[0] == NONE {
                    slot[0] = *a;
                } else if slot[1] == NONE {
                    slot[1] = *a;
                }
                flows_to[a.index()].get_or_insert(*p);
            }
        };
        data.term.for_each_target(&mut edge);
    }

    let crosses_call = |iv: &Interval| {
        // A call at position c clobbers values with start < c < end.
        let first = calls.partition_point(|&c| c <= iv.start);
        calls.get(first).is_some_and(|&c| c < iv.end)
    };

    let mut free_caller: Vec<Gpr> = CALLER_SAVED.iter().rev().copied().collect();
    let mut free_callee: Vec<Gpr> = CALLEE_SAVED.iter().rev().copied().collect();
    let mut active: Vec<(Interval, Gpr)> = Vec::new();
    let mut used_callee = [false; 16];
    let mut slots = 0u32;
    let release = |r: Gpr, caller: &mut Vec<Gpr>, callee: &mut Vec<Gpr>| {
        if CALLEE_SAVED.contains(&r) {
            callee.push(r)
        } else {
            caller.push(r)
        }
    };

    for iv in intervals {
        // Expire intervals that ended before this one starts.
        active.retain(|(a, r)| {
            if a.end < iv.start {
                release(*r, &mut free_caller, &mut free_callee);
                false
            } else {
                true
            }
        });
        let needs_callee = crosses_call(&iv);
        let v = iv.value.index();
        let mut wanted: [Option<Gpr>; 3] = [None; 3];
        // Where the value goes next: a parameter that already has a register, or (through
        // parameters not allocated yet, such as a join block's) the one after it.
        let mut next = flows_to[v];
        for _ in 0..4 {
            let Some(p) = next else { break };
            if let Loc::Reg(r) = locs[p.index()] {
                wanted[0] = Some(r);
                break;
            }
            next = flows_to[p.index()];
        }
        wanted[1] =
            incoming[v]
                .iter()
                .filter(|a| **a != NONE)
                .find_map(|a| match locs[a.index()] {
                    Loc::Reg(r) => Some(r),
                    _ => None,
                });
        if !needs_callee {
            wanted[2] = arg_hint[v];
        }
        let take =
            |r: Gpr, list: &mut Vec<Gpr>| list.iter().position(|&x| x == r).map(|i| list.remove(i));
        let hinted = wanted.iter().flatten().find_map(|&r| {
            if CALLEE_SAVED.contains(&r) {
                take(r, &mut free_callee)
            } else if !needs_callee {
                take(r, &mut free_caller)
            } else {
                None
            }
        });
        let reg = hinted.or_else(|| {
            if needs_callee {
                free_callee.pop()
            } else {
                free_caller.pop().or_else(|| free_callee.pop())
            }
        });
        let reg = match reg {
            Some(r) => Some(r),
            None => {
                // Spill whichever of the candidates lives longest: a compatible active
                // interval (its register is then ours), or this one.
                let victim = active
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, r))| !needs_callee || CALLEE_SAVED.contains(r))
                    .max_by_key(|(_, (a, _))| a.end)
                    .map(|(i, _)| i);
                match victim {
                    Some(i) if active[i].0.end > iv.end => {
                        let (old, r) = active.remove(i);
                        locs[old.value.index()] = Loc::Stack(slots);
                        slots += 1;
                        Some(r)
                    }
                    _ => None,
                }
            }
        };
        match reg {
            Some(r) => {
                if CALLEE_SAVED.contains(&r) {
                    used_callee[r as usize] = true;
                }
                locs[iv.value.index()] = Loc::Reg(r);
                active.push((iv, r));
            }
            None => {
                locs[iv.value.index()] = Loc::Stack(slots);
                slots += 1;
            }
        }
    }
    let callee_saved = CALLEE_SAVED
        .iter()
        .copied()
        .filter(|r| used_callee[*r as usize])
        .collect();
    Allocation {
        locs,
        slots,
        callee_saved,
        order,
    }
}
