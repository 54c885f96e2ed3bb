//! Conditions a dominating branch already decided: a block entered only by one way of a
//! branch on `a < b` (and by its own loop's back edges) knows whether `a < b` holds, and
//! so does every block it dominates. A branch there on the same question (or its
//! inverse, or its mirror `b > a`) takes its one possible way, and a comparison
//! instruction on it is a constant.
//!
//! Front ends repeat such questions as a matter of course — a dynamic language's runtime
//! asks again in every loop turn whether the call depth is past its limit, or which kind of
//! representation an array has, although the function's entry or the loop's copy for that
//! kind has already asked — and loop unswitching makes more of them (each copy of a loop
//! sits under the branch it was copied for). GCC's `-ftree-dominator-opts` and LLVM's
//! `JumpThreading` over dominating conditions do this.

use crate::cfg::{Dominators, Predecessors};
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

/// How far up the dominator tree a question looks for its answer.
const MAX_DEPTH: usize = 256;

/// A question a branch asks: a comparison in canonical form (the smaller operand first),
/// or a bool value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Question {
    Cmp(Cmp, Value, Value),
    Bool(Value),
}

impl Question {
    fn cmp(op: Cmp, a: Value, b: Value) -> Question {
        if b < a {
            Question::Cmp(op.swapped(), b, a)
        } else {
            Question::Cmp(op, a, b)
        }
    }

    /// Whether `self` holds, given that `known` came out `answer`; None if that says
    /// nothing about it.
    fn implied_by(self, known: Question, answer: bool) -> Option<bool> {
        match (self, known) {
            (Question::Bool(x), Question::Bool(y)) if x == y => Some(answer),
            (Question::Cmp(op, a, b), Question::Cmp(kop, ka, kb)) if (a, b) == (ka, kb) => {
                if op == kop {
                    Some(answer)
                } else if op == kop.inverse() {
                    Some(!answer)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// The question a two-way terminator asks, if it is one with two different targets.
fn question(t: &Term) -> Option<(Question, Block, Block)> {
    match t {
        Term::Branch { cond, then, els } if then.block != els.block => {
            Some((Question::Bool(*cond), then.block, els.block))
        }
        Term::BranchCmp {
            op,
            a,
            b,
            then,
            els,
        } if then.block != els.block => Some((Question::cmp(*op, *a, *b), then.block, els.block)),
        _ => None,
    }
}

/// Decides branches and comparisons a dominating branch already answered (see the
/// module); says whether anything changed (the dominators are then stale: a decided
/// branch loses an edge, and its dead way is left for dead-code elimination).
pub fn decide_implied_branches(f: &mut Function, dom: &Dominators) -> bool {
    let preds = Predecessors::compute(f);
    // Per block: the question asked on the one edge that enters it from outside what it
    // dominates (its other predecessors are its own loop's back edges), and the answer.
    let mut entered: Vec<Option<(Question, bool)>> = vec![None; f.blocks.len()];
    for (bi, b) in f.blocks.iter().enumerate() {
        let from = Block(bi as u32);
        if let Some((q, then, els)) = question(&b.term) {
            for (s, answer) in [(then, true), (els, false)] {
                let ps = preds.of(s);
                let once = ps.iter().filter(|&&p| p == from).count() == 1;
                if once && ps.iter().all(|&p| p == from || dom.dominates(s, p)) {
                    entered[s.index()] = Some((q, answer));
                }
            }
        }
    }
    if entered.iter().all(Option::is_none) {
        return false;
    }
    // The answer to `q` in block `b`, from the blocks dominating it.
    let answer = |q: Question, b: Block| -> Option<bool> {
        let mut at = b;
        for _ in 0..MAX_DEPTH {
            if let Some((known, answer)) = entered[at.index()]
                && let Some(x) = q.implied_by(known, answer)
            {
                return Some(x);
            }
            at = dom.idom(at)?;
        }
        None
    };
    let mut changed = false;
    for bi in 0..f.blocks.len() {
        let b = Block(bi as u32);
        if !dom.is_reachable(b) {
            continue;
        }
        for i in &mut f.blocks[bi].insts {
            if let Inst::Cmp { dst, op, a, b: y } = *i
                && let Some(x) = answer(Question::cmp(op, a, y), b)
            {
                *i = Inst::Bool { dst, value: x };
                changed = true;
            }
        }
        let Some((q, _, _)) = question(&f.blocks[bi].term) else {
            continue;
        };
        if let Some(x) = answer(q, b) {
            let taken = match &f.blocks[bi].term {
                Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                    if x {
                        then.clone()
                    } else {
                        els.clone()
                    }
                }
                _ => unreachable!("question() takes two-way branches only"),
            };
            f.blocks[bi].term = Term::Jump(taken);
            changed = true;
        }
    }
    changed
}
