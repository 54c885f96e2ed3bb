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

use crate::cfg::Dominators;
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

/// The questions the two-way branches ask, a question and its inverse as one, sorted: a
/// branch can have its answer from another branch only if its question is there twice, a
/// comparison instruction only if its question is there at all.
struct Asked(Vec<(u8, u32, u32)>);

impl Asked {
    fn key(q: Question) -> (u8, u32, u32) {
        match q {
            Question::Cmp(op, a, b) => ((op as u8).min(op.inverse() as u8), a.0, b.0),
            Question::Bool(v) => (u8::MAX, v.0, 0),
        }
    }

    fn of(f: &Function) -> Asked {
        let mut keys: Vec<(u8, u32, u32)> = f
            .blocks
            .iter()
            .filter_map(|b| question(&b.term).map(|(q, ..)| Asked::key(q)))
            .collect();
        crate::sort::sort(&mut keys);
        Asked(keys)
    }

    /// How many branches ask `q` (or its inverse).
    fn count(&self, q: Question) -> usize {
        let k = Asked::key(q);
        let from = self.0.partition_point(|&x| x < k);
        self.0[from..].iter().take_while(|&&x| x == k).count()
    }
}

/// Whether [`decide_implied_branches`] may find anything: a branch asks what another
/// branch asks, or a comparison instruction asks what a branch asks.
pub(crate) fn asks_again(f: &Function) -> bool {
    let asked = Asked::of(f);
    if asked.0.is_empty() {
        return false;
    }
    asked.0.windows(2).any(|w| w[0] == w[1])
        || f.blocks.iter().any(|b| {
            b.insts.iter().any(|i| match *i {
                Inst::Cmp { op, a, b, .. } => asked.count(Question::cmp(op, a, b)) > 0,
                _ => false,
            })
        })
}

/// Decides branches and comparisons a dominating branch already answered (see the
/// module); says whether anything changed (the dominators are then stale: a decided
/// branch loses an edge, and its dead way is left for dead-code elimination).
pub fn decide_implied_branches(f: &mut Function, dom: &Dominators) -> bool {
    let preds = dom.preds();
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
    // Only a question asked elsewhere too is worth the walk up the dominators.
    let asked = Asked::of(f);
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
                && asked.count(Question::cmp(op, a, y)) > 0
                && let Some(x) = answer(Question::cmp(op, a, y), b)
            {
                *i = Inst::Bool { dst, value: x };
                changed = true;
            }
        }
        let Some((q, _, _)) = question(&f.blocks[bi].term) else {
            continue;
        };
        if asked.count(q) < 2 {
            continue;
        }
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
