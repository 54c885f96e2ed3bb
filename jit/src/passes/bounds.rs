//! Range checks of a counted loop's index, decided once before the loop (inductive range
//! check elimination, as LLVM's IRCE, HotSpot's range check elimination and LuaJIT's
//! loop optimizations do it).
//!
//! A loop whose header tests `j < n` on its parameter `j`, which every back edge passes
//! on as `j + 1` (or as `j + s`, `s ≥ 0` invariant, by an add that leaves on overflow, or
//! as `n`, which ends the loop), and which enters with `j = start`, runs its body with
//! `start ≤ j < n`. A check in the body that `j` is an index below `len` (`j <u len`, the
//! usual bounds check of an array or list read at `j`), with `len` the same in every
//! turn, then always holds when `start ≥ 0` and `n ≤u len` (and `s ≥ 0`) — a question
//! asked once, on entry. The check is not removed here: it is put behind a branch on
//! that answer (`g ? ok : check`), which is invariant, so that
//! [`super::unswitch_loops`] copies the loop into one version without any of its checks
//! (taken when `g` holds) and one that keeps them (when it does not: the checks'
//! failures stay exact, at the very turn that fails).
//!
//! Only loops whose every value is entered from one block, innermost, and whose checks
//! compare the header's parameter itself are taken. All checks of one loop share one
//! answer (the smallest of their lengths against `n`), so each loop is copied once.

use super::int_constants;
use crate::cfg::{Dominators, Predecessors, natural_loops};
use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

/// A counted loop's checks to guard (see the module).
struct Counted {
    /// The block outside the loop that enters it (the guard is computed at its end).
    entry: Block,
    /// `j`'s value on entry and the header's bound `n`.
    start: Value,
    bound: Value,
    /// Steps `j` goes up by that the guard asks to be `≥ 0` (not constants).
    steps: Vec<Value>,
    /// The blocks whose terminator is a check of `j` against an invariant length, with
    /// that length and which way of the terminator is the check's success.
    checks: Vec<(Block, Value, bool)>,
}

/// Guards every range check of a counted loop's index that one test on entry can decide
/// (see the module). Returns the answers it branches on (none: nothing changed; else the
/// dominators are stale, and [`super::unswitch_loops_with`] has invariant branches to take
/// out; [`unguard`] puts back the checks of loops it did not copy).
pub fn guard_range_checks(f: &mut Function, dom: &Dominators) -> Vec<Value> {
    let (preds, rpo) = (dom.preds(), dom.rpo());
    let loops = natural_loops(f, preds, dom, rpo);
    let headers: Vec<Block> = loops.iter().map(|l| l.0).collect();
    let consts = int_constants(f);
    let mut found = Vec::new();
    for (h, body) in &loops {
        let innermost = headers.iter().all(|&o| o == *h || !body[o.index()]);
        if innermost && let Some(c) = counted(f, preds, *h, body, |v| consts.get(&v).copied()) {
            found.push(c);
        }
    }
    found
        .into_iter()
        .map(|c| guard(f, c, |v| consts.get(&v).copied()))
        .collect()
}

/// Undoes [`guard_range_checks`] where a branch on one of its `answers` is left (in a loop
/// unswitching did not copy: too large, or its values leave it in ways a copy cannot
/// follow), so that no loop keeps the extra branch: the check is its block's terminator
/// again (the block that asked it is dead code then).
pub fn unguard(f: &mut Function, answers: &[Value]) {
    for b in 0..f.blocks.len() {
        let Term::Branch { cond, els, .. } = &f.blocks[b].term else {
            continue;
        };
        if !answers.contains(cond) {
            continue;
        }
        let asked = f.block(els.block);
        if asked.params.is_empty()
            && asked.insts.is_empty()
            && matches!(asked.term, Term::BranchCmp { .. })
        {
            f.blocks[b].term = asked.term.clone();
        }
    }
}

/// Loop `h` (blocks `body`) as a [`Counted`] loop with checks to guard, if it is one.
fn counted(
    f: &Function,
    preds: &Predecessors,
    h: Block,
    body: &[bool],
    konst: impl Fn(Value) -> Option<i64>,
) -> Option<Counted> {
    let entry = super::unswitch::entering(f, preds, h, body)?;
    let mut inside = vec![false; f.num_values()];
    for (bi, data) in f.blocks.iter().enumerate() {
        if body[bi] {
            for v in data.defs() {
                inside[v.index()] = true;
            }
        }
    }
    let invariant = |v: Value| !inside[v.index()];
    // The header stays in the loop while `j < n`.
    let (op, a, b) = staying(&f.block(h).term, body)?;
    let (j, bound) = match op {
        Cmp::Lt => (a, b),
        Cmp::Gt => (b, a),
        _ => return None,
    };
    let k = f.block(h).params.iter().position(|&p| p == j)?;
    if !invariant(bound) {
        return None;
    }
    // Entered with `j = start`; every back edge passes `j + 1`.
    let mut start = None;
    f.block(entry).term.for_each_target(|t| {
        if t.block == h {
            start = t.args.get(k).copied();
        }
    });
    let start = start?;
    let walk = Walk {
        f,
        preds,
        body,
        inside: &inside,
        j,
        bound,
        konst: &konst,
    };
    let mut steps = Vec::new();
    for &p in preds.of(h) {
        let mut counts = true;
        if body[p.index()] {
            f.block(p).term.for_each_target(|t| {
                if t.block == h {
                    counts &= t
                        .args
                        .get(k)
                        .is_some_and(|&v| walk.advances(v, &mut steps, MAX_DEPTH));
                }
            });
        }
        if !counts {
            return None;
        }
    }
    crate::sort::sort(&mut steps);
    steps.dedup();
    let mut checks = Vec::new();
    for (bi, data) in f.blocks.iter().enumerate() {
        if !body[bi] || bi == h.index() {
            continue;
        }
        let Term::BranchCmp { op, a, b, .. } = data.term else {
            continue;
        };
        // `j <u len` (either way round), `len` invariant; `ok` is the way taken when it
        // holds.
        let (len, ok) = match op {
            Cmp::Ult if a == j => (b, true),
            Cmp::Ugt if b == j => (a, true),
            Cmp::Uge if a == j => (b, false),
            Cmp::Ule if b == j => (a, false),
            _ => continue,
        };
        if invariant(len) {
            checks.push((Block(bi as u32), len, ok));
        }
    }
    if checks.is_empty() {
        return None;
    }
    Some(Counted {
        entry,
        start,
        bound,
        steps,
        checks,
    })
}

/// How far [`Walk::advances`] follows joins of block parameters.
const MAX_DEPTH: u32 = 4;

/// A loop's facts for following what its back edges pass as `j`.
struct Walk<'a> {
    f: &'a Function,
    preds: &'a Predecessors,
    body: &'a [bool],
    inside: &'a [bool],
    j: Value,
    bound: Value,
    konst: &'a dyn Fn(Value) -> Option<i64>,
}

impl Walk<'_> {
    /// Whether `v`, passed back to the header as `j`, is never below `j` and never
    /// wraps: `j + 1` (which `j < n` keeps from wrapping), `j + s` by an add that leaves
    /// on overflow (`s` invariant and not negative: a constant, or noted in `steps` for
    /// the guard to ask), the bound `n` itself (the header then leaves the loop), or a
    /// parameter of a block of the loop whose every incoming value is one of these.
    fn advances(&self, v: Value, steps: &mut Vec<Value>, depth: u32) -> bool {
        let (f, j) = (self.f, self.j);
        if v == self.bound {
            return true;
        }
        let invariant = |v: Value| !self.inside[v.index()];
        let step = |a: Value, b: Value| match (a == j, b == j) {
            (true, false) => Some(b),
            (false, true) => Some(a),
            _ => None,
        };
        for (bi, data) in f.blocks.iter().enumerate() {
            if !self.body[bi] {
                continue;
            }
            let added = data.insts.iter().any(|i| match *i {
                Inst::Binary {
                    dst,
                    op: BinOp::Add,
                    a,
                    b,
                } if dst == v => step(a, b).is_some_and(|s| (self.konst)(s) == Some(1)),
                _ => false,
            });
            if added {
                return true;
            }
            let Some(q) = data.params.iter().position(|&p| p == v) else {
                continue;
            };
            let m = Block(bi as u32);
            if depth == 0 {
                return false;
            }
            for &p in self.preds.of(m) {
                if !self.body[p.index()] {
                    return false;
                }
                let term = &f.block(p).term;
                if let Term::Checked { op, a, b, ok, .. } = *term
                    && ok == m
                {
                    let Some(s) = step(a, b).filter(|&s| q == 0 && invariant(s)) else {
                        return false;
                    };
                    match (self.konst)(s) {
                        _ if op != CheckedOp::Add => return false,
                        Some(c) if c < 0 => return false,
                        Some(_) => {}
                        None => steps.push(s),
                    }
                }
                let mut args = Vec::new();
                term.for_each_target(|t| {
                    if t.block == m {
                        args.push(t.args.get(q).copied());
                    }
                });
                for a in args {
                    if !a.is_some_and(|a| self.advances(a, steps, depth - 1)) {
                        return false;
                    }
                }
            }
            return true;
        }
        false
    }
}

/// The comparison of a loop's exit test, `(op, a, b)` turned so that it holds when the way
/// that stays in the loop is taken (one way stays, the other leaves).
fn staying(t: &Term, body: &[bool]) -> Option<(Cmp, Value, Value)> {
    let Term::BranchCmp {
        op,
        a,
        b,
        then,
        els,
    } = t
    else {
        return None;
    };
    match (body[then.block.index()], body[els.block.index()]) {
        (true, false) => Some((*op, *a, *b)),
        (false, true) => Some((op.inverse(), *a, *b)),
        _ => None,
    }
}

/// Computes the loop's answer at the end of its entering block and puts each check
/// behind it; the answer.
fn guard(f: &mut Function, c: Counted, konst: impl Fn(Value) -> Option<i64>) -> Value {
    let mut new = Vec::new();
    let mut inst = |f: &mut Function, ty: Type, make: &dyn Fn(Value) -> Inst| {
        let dst = f.new_value(ty);
        new.push(make(dst));
        dst
    };
    // The smallest length (unsigned) of all the checks.
    let mut least = c.checks[0].1;
    for &(_, len, _) in &c.checks[1..] {
        if len == least {
            continue;
        }
        let below = inst(f, Type::Bool, &|dst| Inst::Cmp {
            dst,
            op: Cmp::Ult,
            a: len,
            b: least,
        });
        let prev = least;
        least = inst(f, Type::I64, &|dst| Inst::Select {
            dst,
            cond: below,
            a: len,
            b: prev,
        });
    }
    let (bound, start) = (c.bound, c.start);
    let mut g = inst(f, Type::Bool, &|dst| Inst::Cmp {
        dst,
        op: Cmp::Ule,
        a: bound,
        b: least,
    });
    // And each of `start` and the steps not negative, unless known so.
    let mut asked: Vec<Value> = c.steps.clone();
    if konst(start).is_none_or(|s| s < 0) {
        asked.push(start);
    }
    for v in asked {
        let zero = inst(f, Type::I64, &|dst| Inst::Const { dst, value: 0 });
        let nonneg = inst(f, Type::Bool, &|dst| Inst::Cmp {
            dst,
            op: Cmp::Ge,
            a: v,
            b: zero,
        });
        let fits = g;
        g = inst(f, Type::Bool, &|dst| Inst::Select {
            dst,
            cond: nonneg,
            a: fits,
            b: nonneg,
        });
    }
    f.blocks[c.entry.index()].insts.extend(new);
    for (at, _, ok_way) in c.checks {
        let check = core::mem::replace(&mut f.blocks[at.index()].term, Term::Return(g));
        let Term::BranchCmp { then, els, .. } = &check else {
            unreachable!("counted() takes compare-and-branch checks only")
        };
        let ok = if ok_way { then.clone() } else { els.clone() };
        let cold = f.blocks[at.index()].cold;
        let asked = Block(f.blocks.len() as u32);
        f.blocks.push(BlockData {
            params: Vec::new(),
            insts: Vec::new(),
            term: check,
            cold,
        });
        f.blocks[at.index()].term = Term::Branch {
            cond: g,
            then: ok,
            els: Target::plain(asked),
        };
    }
    g
}
