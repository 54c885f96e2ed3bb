//! Range checks of a counted loop's index, decided once before the loop (inductive range
//! check elimination, as LLVM's IRCE, HotSpot's range check elimination and LuaJIT's
//! loop optimizations do it).
//!
//! A loop whose header tests `j < n` on its parameter `j`, which every back edge passes
//! on as `j + 1`, and which enters with `j = s`, runs its body with `s ≤ j < n`. A check
//! in the body that `j` is an index below `len` (`j <u len`, the usual bounds check of an
//! array or list read at `j`), with `len` the same in every turn, then always holds when
//! `s ≥ 0` and `n ≤u len` — a question asked once, on entry. The check is not removed
//! here: it is put behind a branch on that answer (`g ? ok : check`), which is invariant,
//! so that [`super::unswitch_loops`] copies the loop into one version without any of its
//! checks (taken when `g` holds) and one that keeps them (when it does not: the checks'
//! failures stay exact, at the very turn that fails).
//!
//! Only loops whose every value is entered from one block, innermost, and whose checks
//! compare the header's parameter itself are taken. All checks of one loop share one
//! answer (the smallest of their lengths against `n`), so each loop is copied once.

use super::int_constants;
use crate::cfg::{Dominators, Predecessors, natural_loops, reverse_postorder};
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
    /// The blocks whose terminator is a check of `j` against an invariant length, with
    /// that length and which way of the terminator is the check's success.
    checks: Vec<(Block, Value, bool)>,
}

/// Guards every range check of a counted loop's index that one test on entry can decide
/// (see the module). Returns the answers it branches on (none: nothing changed; else the
/// dominators are stale, and [`super::unswitch_loops_with`] has invariant branches to take
/// out; [`unguard`] puts back the checks of loops it did not copy).
pub fn guard_range_checks(f: &mut Function, dom: &Dominators) -> Vec<Value> {
    let preds = Predecessors::compute(f);
    let rpo = reverse_postorder(f);
    let loops = natural_loops(f, &preds, dom, &rpo);
    let headers: Vec<Block> = loops.iter().map(|l| l.0).collect();
    let consts = int_constants(f);
    let mut found = Vec::new();
    for (h, body) in &loops {
        let innermost = headers.iter().all(|&o| o == *h || !body[o.index()]);
        if innermost && let Some(c) = counted(f, &preds, *h, body, |v| consts.get(&v).copied()) {
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
    let adds_one = |v: Value| {
        f.blocks.iter().enumerate().any(|(bi, data)| {
            body[bi]
                && data.insts.iter().any(|i| match *i {
                    Inst::Binary {
                        dst,
                        op: BinOp::Add,
                        a,
                        b,
                    } if dst == v => {
                        (a == j && konst(b) == Some(1)) || (b == j && konst(a) == Some(1))
                    }
                    _ => false,
                })
        })
    };
    for &p in preds.of(h) {
        let mut counts = true;
        if body[p.index()] {
            f.block(p).term.for_each_target(|t| {
                if t.block == h {
                    counts &= t.args.get(k).is_some_and(|&v| adds_one(v));
                }
            });
        }
        if !counts {
            return None;
        }
    }
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
        checks,
    })
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
    if konst(start).is_none_or(|s| s < 0) {
        let zero = inst(f, Type::I64, &|dst| Inst::Const { dst, value: 0 });
        let nonneg = inst(f, Type::Bool, &|dst| Inst::Cmp {
            dst,
            op: Cmp::Ge,
            a: start,
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
