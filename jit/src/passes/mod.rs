//! Optimization passes. Each takes a function in valid SSA and leaves it valid; each says
//! whether it changed anything. [`optimize`] runs the pipeline.

#[cfg(feature = "loops")]
mod bounds;
#[cfg(feature = "loops")]
mod closed;
mod cse;
mod dce;
mod diamond;
mod fold;
mod fuse;
mod guard;
mod implied;
pub mod inline;
#[cfg(feature = "loops")]
mod licm;
mod sccp;
mod sink;
#[cfg(feature = "loops")]
mod tailrec;
#[cfg(feature = "loops")]
mod unswitch;

#[cfg(feature = "loops")]
pub use bounds::guard_range_checks;
#[cfg(feature = "loops")]
pub use closed::close_counted_loops;
pub use cse::{eliminate_common_subexpressions, eliminate_common_subexpressions_with};
pub use dce::eliminate_dead_code;
pub use diamond::{convert_conditional_sums, hoist_above_empty_diamonds};
pub use fold::{fold_constants, propagate_copies, simplify_block_params};
pub use fuse::{fuse_compare_branch, remainder_tested_for_zero};
pub use guard::drop_guarded_overflow_checks;
pub use implied::decide_implied_branches;
#[cfg(feature = "loops")]
pub use licm::{hoist_invariants, hoist_invariants_with, insert_preheaders, separate_nested_loops};
pub use sccp::propagate_constants;
pub use sink::sink_with;
#[cfg(feature = "loops")]
pub use tailrec::eliminate_tail_recursion;
#[cfg(feature = "loops")]
pub use unswitch::{unswitch_loops, unswitch_loops_with};

pub(crate) use crate::cfg::may_loop;
use crate::ir::{Function, Inst, Value};
use alloc::vec;
use alloc::vec::Vec;

/// Sparse conditional constant propagation, then constant folding, copy propagation,
/// block-parameter simplification and dead-code elimination to a fixed point, then
/// floor modulos tested against zero as remainders, compare-and-branch fusion, closed
/// forms for loops that only count and sum, then invariant code out of loops, then loops
/// unswitched on invariant branches, then common subexpressions, then sinking.
pub fn optimize(f: &mut Function) {
    // A function without loops gets its blocks in reverse postorder first: every edge
    // then goes to a later block, and the passes that check for that ([`may_loop`]) take
    // one pass over the blocks in order where they would iterate.
    if may_loop(f) {
        crate::cfg::renumber_if_acyclic(f);
    }
    // SCCP finds every constant at once; the local passes then clean up what it leaves
    // (identities as copies, copies, parameters with one source, dead code). Another round
    // only when parameter simplification exposed something new.
    propagate_constants(f);
    for _ in 0..4 {
        fold_constants(f);
        propagate_copies(f);
        let unchecked = drop_guarded_overflow_checks(f);
        let simplified = simplify_block_params(f) | unchecked;
        eliminate_dead_code(f);
        if !simplified {
            break;
        }
    }
    remainder_tested_for_zero(f);
    fuse_compare_branch(f);
    #[cfg(feature = "loops")]
    close_counted_loops(f);
    // A function whose every edge leads to a later block has no loop: no dominators for
    // the loop passes then (CSE computes them only if something repeats).
    let mut dom = may_loop(f).then(|| crate::cfg::Dominators::compute(f));
    #[cfg(feature = "loops")]
    if dom.is_some() {
        optimize_loops(f, &mut dom);
    }
    // (A function without loops has no dominators yet: CSE keeps those it computes.)
    let repeated = match &dom {
        Some(d) => eliminate_common_subexpressions_with(f, Some(d)),
        None => cse::eliminate_common_subexpressions_keeping(f, &mut dom),
    };
    if repeated {
        propagate_copies(f);
    }
    // Without them still, computed when a question is asked twice (after CSE, which makes
    // equal comparisons one value).
    if dom.is_none() && implied::asks_again(f) {
        dom = Some(crate::cfg::Dominators::compute(f));
    }
    // Questions a dominating branch answered — the call depth asked again in a loop, a
    // representation asked again in its loop's copy for it — then what that leaves.
    // After CSE, which makes equal constants and repeated computations one value.
    if let Some(d) = &dom
        && decide_implied_branches(f, d)
    {
        fold_constants(f);
        propagate_copies(f);
        simplify_block_params(f);
        eliminate_dead_code(f);
        dom = Some(crate::cfg::Dominators::compute(f));
    }
    // Sums under a branch as sums of a chosen amount (their ways' blocks left dead).
    if convert_conditional_sums(f) {
        eliminate_dead_code(f);
        dom = may_loop(f).then(|| crate::cfg::Dominators::compute(f));
    }
    // Last, on the same dominators: arithmetic down to its one using block (a loop
    // counter's increment to the jump back), after the hoisting took out what is
    // invariant.
    if let Some(dom) = &dom {
        sink_with(f, dom);
    }
    // Then what a join of two empty ways starts with, above their branch.
    hoist_above_empty_diamonds(f);
}

/// The loop passes, on a function with a loop and its dominators (`dom`, kept up to date):
/// loops in a canonical shape, invariant code hoisted, loops unswitched on invariant
/// branches, counted loops' bounds checks decided on entry.
#[cfg(feature = "loops")]
fn optimize_loops(f: &mut Function, dom: &mut Option<crate::cfg::Dominators>) {
    // Loops in a canonical shape first: one header each (a few rounds: each split
    // changes the loops), one block entering each.
    let mut reshaped = false;
    for _ in 0..4 {
        match &*dom {
            Some(d) if separate_nested_loops(f, d) => {
                *dom = Some(crate::cfg::Dominators::compute(f));
                reshaped = true;
            }
            _ => break,
        }
    }
    if let Some(d) = &*dom
        && insert_preheaders(f, d)
    {
        reshaped = true;
    }
    if reshaped {
        // A header's parameter that its loop passes on unchanged now has one source from
        // outside (the preheader's, the old header's): invariant.
        simplify_block_params(f);
        propagate_copies(f);
        *dom = Some(crate::cfg::Dominators::compute(f));
    }
    // Hoisting and unswitching on one set of dominators (hoisting changes no block or
    // edge); CSE comes after, as the hoisting gathers the repeats of several loops in one
    // block.
    if let Some(d) = &*dom {
        hoist_invariants_with(f, d);
        // Branches on what the loop never changes (the hoisting made their operands
        // visible as defined outside), out of the loops that were copied for them; then
        // the copies' joins of one way are plain values again.
        if unswitch_loops_with(f, d) {
            simplify_block_params(f);
            propagate_copies(f);
            eliminate_dead_code(f);
            *dom = Some(crate::cfg::Dominators::compute(f));
        }
    }
    // A counted loop's bounds checks behind one test on entry, and the loop copied for it.
    let answers = dom
        .as_ref()
        .map_or(Vec::new(), |d| guard_range_checks(f, d));
    if !answers.is_empty() {
        unswitch_loops(f);
        bounds::unguard(f, &answers);
        simplify_block_params(f);
        propagate_copies(f);
        eliminate_dead_code(f);
        *dom = Some(crate::cfg::Dominators::compute(f));
    }
}

/// Facts about values, a slot per value of a function (values are dense indices): what a
/// pass keeps for the whole function, in place of an ordered map (no tree to walk, and one
/// small instance of code per kind of fact instead of a B-tree's several kilobytes).
pub(crate) struct ValueMap<T> {
    slots: Vec<Option<T>>,
}

impl<T> ValueMap<T> {
    pub(crate) fn new(f: &Function) -> ValueMap<T> {
        ValueMap {
            slots: (0..f.num_values()).map(|_| None).collect(),
        }
    }

    #[inline]
    pub(crate) fn get(&self, v: &Value) -> Option<&T> {
        self.slots.get(v.index())?.as_ref()
    }

    /// Sets `v`'s fact (a value made after [`ValueMap::new`] gets a slot too).
    #[inline]
    pub(crate) fn insert(&mut self, v: Value, t: T) {
        if v.index() >= self.slots.len() {
            self.slots.resize_with(v.index() + 1, || None);
        }
        self.slots[v.index()] = Some(t);
    }
}

/// The value of every i64 constant the function defines.
pub(crate) fn int_constants(f: &Function) -> ValueMap<i64> {
    let mut consts = ValueMap::new(f);
    for b in &f.blocks {
        for i in &b.insts {
            if let Inst::Const { dst, value } = *i {
                consts.insert(dst, value);
            }
        }
    }
    consts
}

/// How many times each value is used (instructions and terminators of every block).
pub fn use_counts(f: &Function) -> Vec<u32> {
    let mut n = vec![0u32; f.num_values()];
    for b in &f.blocks {
        for i in &b.insts {
            i.for_each_use(|v| n[v.index()] += 1);
        }
        b.term.for_each_use(|v| n[v.index()] += 1);
    }
    n
}

/// Rewrites every use in the function through `f`.
pub(crate) fn map_all_uses(func: &mut Function, mut f: impl FnMut(Value) -> Value) {
    for b in &mut func.blocks {
        for i in &mut b.insts {
            i.map_uses(&mut f);
        }
        b.term.map_uses(&mut f);
    }
}
