//! Closed forms for counted loops that only count and sum ("final value replacement", as
//! LLVM's induction-variable simplification and GCC's scalar evolution do it).
//!
//! A loop qualifies when its header does nothing but compare a counter with a loop-invariant
//! bound (`i < n`, `i <= n`, `i > n`, `i >= n`), its body is a straight chain of blocks back
//! to the header (no calls, no other exits), and every value it carries around is one of:
//! - unchanged;
//! - a counter: `p + c` for a constant `c` (the one in the header's test moves towards the
//!   bound);
//! - a sum: `p + x` or `p - x` with an overflow check (a checked add or sub), where `x` is
//!   loop-invariant or a counter plus a constant (`total += i`, `s -= i + 1`, `k += 3`).
//!
//! Then the trip count `T` and the value of everything at the exit follow from the values on
//! entry: a counter ends at `p + c·T`, a sum adds `T·x` or `T·first + c·T(T−1)/2`. The loop
//! is not removed: a new block on its entry edge computes the closed form and enters the
//! header with the final values (its test fails there, so it leaves at once), and every way
//! that computation can go wrong enters the header with the initial values instead:
//! any overflow while computing it, a loop that would not run at all, a sum whose terms change
//! sign (its partial sums would not be monotone, so the final value fitting in 64 bits would
//! not show that every partial sum does). When the terms keep one sign the partial sums lie
//! between the initial and final values, so no overflow check in the loop could have failed;
//! counters and the `i + d` terms are checked at their first and last values. So the result
//! is exactly the loop's, and an overflowing loop still raises at the same turn, from the
//! loop itself.

use crate::cfg::Predecessors;
use crate::ir::*;
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// The longest loop body (in blocks) looked at.
const MAX_CHAIN: usize = 32;

/// How a value in the loop is defined.
#[derive(Clone)]
enum Def {
    /// The header's parameter `k`.
    Param(usize),
    /// A chain block's parameter, fed by the jump into it.
    Alias(Value),
    /// The result of an overflow-checked operation (an `ok` block's parameter).
    Checked(CheckedOp, Value, Value),
    Inst(Inst),
}

/// A loop value as a sum: the header's parameter `param` (if any) plus a value defined
/// outside the loop (if any) plus a constant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Lin {
    param: Option<usize>,
    inv: Option<Value>,
    d: i64,
}

impl Lin {
    fn param(k: usize) -> Lin {
        Lin {
            param: Some(k),
            inv: None,
            d: 0,
        }
    }

    fn konst(d: i64) -> Lin {
        Lin {
            param: None,
            inv: None,
            d,
        }
    }

    fn as_const(self) -> Option<i64> {
        (self.param.is_none() && self.inv.is_none()).then_some(self.d)
    }

    /// `self + sign·o`, if still of this form (subtracting only constants).
    fn plus(self, sign: i64, o: Lin) -> Option<Lin> {
        if sign < 0 {
            return Some(Lin {
                d: self.d.checked_sub(o.as_const()?)?,
                ..self
            });
        }
        fn one<T>(a: Option<T>, b: Option<T>) -> Option<Option<T>> {
            match (a, b) {
                (Some(_), Some(_)) => None,
                (a, b) => Some(a.or(b)),
            }
        }
        Some(Lin {
            param: one(self.param, o.param)?,
            inv: one(self.inv, o.inv)?,
            d: self.d.checked_add(o.d)?,
        })
    }
}

/// How a header parameter changes each turn.
#[derive(Clone, Copy, Debug)]
enum Next {
    Same,
    Step(i64),
    /// `p ± term` with an overflow check.
    Sum {
        sub: bool,
        term: Lin,
    },
}

/// A loop found to have a closed form.
struct Plan {
    header: usize,
    /// The block entering the loop.
    pre: usize,
    /// The counter tested in the header, its step, the bound, and the test that keeps the
    /// loop going.
    counter: usize,
    step: i64,
    bound: Lin,
    stay: Cmp,
    next: Vec<Next>,
    /// Values the body computes with adds that must neither wrap nor fail, checked at
    /// their first and last turn.
    ranges: Vec<Lin>,
}

struct Loop<'a> {
    defs: BTreeMap<Value, Def>,
    consts: &'a super::ValueMap<i64>,
    /// Checked operations of the body not yet accounted for (each once; a few per loop).
    unexplained: Vec<Value>,
    ranges: Vec<Lin>,
}

impl Loop<'_> {
    /// `v` as a [`Lin`], if it is one. Every add or subtract on the way is noted as a
    /// range to check.
    fn lin(&mut self, v: Value) -> Option<Lin> {
        let Some(def) = self.defs.get(&v).cloned() else {
            return Some(match self.consts.get(&v) {
                Some(&c) => Lin::konst(c),
                None => Lin {
                    param: None,
                    inv: Some(v),
                    d: 0,
                },
            });
        };
        let (sign, a, b) = match def {
            Def::Param(k) => return Some(Lin::param(k)),
            Def::Alias(src) => return self.lin(src),
            Def::Inst(Inst::Const { value, .. }) => return Some(Lin::konst(value)),
            Def::Inst(Inst::Copy { src, .. }) => return self.lin(src),
            Def::Inst(Inst::Binary {
                op: BinOp::Add,
                a,
                b,
                ..
            })
            | Def::Checked(CheckedOp::Add, a, b) => (1, a, b),
            Def::Inst(Inst::Binary {
                op: BinOp::Sub,
                a,
                b,
                ..
            })
            | Def::Checked(CheckedOp::Sub, a, b) => (-1, a, b),
            _ => return None,
        };
        let r = self.lin(a)?.plus(sign, self.lin(b)?)?;
        self.ranges.push(r);
        self.unexplained.retain(|&u| u != v);
        Some(r)
    }

    /// How the latch argument `v` for parameter `k` continues it.
    fn next(&mut self, k: usize, v: Value) -> Option<Next> {
        // A step by a constant first (a sum of a constant is one too).
        let ranges = self.ranges.len();
        match self.lin(v) {
            Some(Lin {
                param: Some(j),
                inv: None,
                d,
            }) if j == k => return Some(if d == 0 { Next::Same } else { Next::Step(d) }),
            _ => self.ranges.truncate(ranges),
        }
        if let Some(Def::Checked(op @ (CheckedOp::Add | CheckedOp::Sub), a, b)) =
            self.defs.get(&v).cloned()
        {
            let acc = |l: Option<Lin>| l == Some(Lin::param(k));
            let sum = if acc(self.lin(a)) {
                Some((op == CheckedOp::Sub, b))
            } else if op == CheckedOp::Add && acc(self.lin(b)) {
                Some((false, a))
            } else {
                None
            };
            if let Some((sub, term)) = sum {
                let term = self.lin(term)?;
                if term.param == Some(k) {
                    return None;
                }
                self.unexplained.retain(|&u| u != v);
                return Some(Next::Sum { sub, term });
            }
        }
        None
    }
}

/// Finds the closed form of the loop headed by block `h`, if it has one.
fn plan(
    f: &Function,
    preds: &Predecessors,
    consts: &super::ValueMap<i64>,
    h: usize,
) -> Option<Plan> {
    let hb = &f.blocks[h];
    // Constants may sit in the header (they are in `consts`); nothing else may.
    if hb.params.is_empty() || hb.insts.iter().any(|i| !matches!(i, Inst::Const { .. })) {
        return None;
    }
    let Term::BranchCmp {
        op,
        a,
        b,
        then,
        els,
    } = &hb.term
    else {
        return None;
    };
    let [p0, p1] = *preds.of(Block(h as u32)) else {
        return None;
    };
    for (body, exit, stay) in [(then, els, *op), (els, then, op.inverse())] {
        if body.block.index() == h || exit.block.index() == h || body.block == exit.block {
            continue;
        }
        let mut defs: BTreeMap<Value, Def> = BTreeMap::new();
        for (k, &p) in hb.params.iter().enumerate() {
            defs.insert(p, Def::Param(k));
        }
        // The body: a chain of single-predecessor blocks from `body` back to the header.
        let mut unexplained = Vec::new();
        let (mut prev, mut cur, mut args): (Block, Block, &[Value]) =
            (Block(h as u32), body.block, &body.args);
        let mut chain = Vec::new();
        let latch = loop {
            if cur.index() == h || chain.len() >= MAX_CHAIN || chain.contains(&cur) {
                break None;
            }
            if preds.of(cur) != [prev] {
                break None;
            }
            chain.push(cur);
            let cb = &f.blocks[cur.index()];
            for (&p, &a) in cb.params.iter().zip(args) {
                defs.insert(p, Def::Alias(a));
            }
            if cb.insts.iter().any(Inst::has_side_effects) {
                break None;
            }
            for i in &cb.insts {
                defs.insert(i.dst(), Def::Inst(i.clone()));
            }
            match &cb.term {
                Term::Jump(t) if t.block.index() == h => break Some((cur, &t.args)),
                Term::Jump(t) => {
                    (prev, cur, args) = (cur, t.block, &t.args);
                }
                Term::Checked {
                    op, a, b, ok, fail, ..
                } => {
                    if fail.block.index() == h {
                        break None;
                    }
                    let r = f.blocks[ok.index()].params[0];
                    defs.insert(r, Def::Checked(*op, *a, *b));
                    if !unexplained.contains(&r) {
                        unexplained.push(r);
                    }
                    // `ok` takes its parameter from the operation, not from arguments.
                    (prev, cur, args) = (cur, *ok, &[]);
                }
                _ => break None,
            }
        };
        let Some((l, latch_args)) = latch else {
            continue;
        };
        let pre = match (p0, p1) {
            (p, q) if q == l && p != l => p,
            (q, p) if q == l && p != l => p,
            _ => continue,
        };
        if chain.contains(&pre) {
            continue;
        }
        let mut lp = Loop {
            defs,
            consts,
            unexplained,
            ranges: Vec::new(),
        };
        let mut next = Vec::new();
        for (k, &v) in latch_args.iter().enumerate() {
            match lp.next(k, v) {
                Some(n) => next.push(n),
                None => return None,
            }
        }
        if !lp.unexplained.is_empty() {
            return None;
        }
        // The test: counter `stay` bound, the counter moving towards the bound.
        let (ta, tb) = (lp.lin(*a)?, lp.lin(*b)?);
        let invariant = |l: &Lin| l.param.is_none_or(|j| matches!(next[j], Next::Same));
        let counts = |l: &Lin| matches!(l.param, Some(k) if *l == Lin::param(k) && matches!(next[k], Next::Step(_)));
        let (counter, bound, stay) = match (ta.param, tb.param) {
            (Some(k), _) if counts(&ta) && invariant(&tb) => (k, tb, stay),
            (_, Some(k)) if counts(&tb) && invariant(&ta) => (k, ta, stay.swapped()),
            _ => return None,
        };
        let Next::Step(c) = next[counter] else {
            return None;
        };
        let towards = match stay {
            Cmp::Lt | Cmp::Le => c > 0,
            Cmp::Gt | Cmp::Ge => c < 0 && c != i64::MIN,
            _ => false,
        };
        if !towards {
            return None;
        }
        // Sums of a sum, and ranges of one, have no closed form here.
        let affine = |k: usize| matches!(next[k], Next::Same | Next::Step(_));
        let ok = |l: &Lin| l.param.is_none_or(affine);
        let terms_ok = next.iter().all(|n| match n {
            Next::Sum { term, .. } => ok(term),
            _ => true,
        });
        if !terms_ok || !lp.ranges.iter().all(ok) {
            return None;
        }
        let mut ranges = lp.ranges;
        crate::sort::sort(&mut ranges);
        ranges.dedup();
        return Some(Plan {
            header: h,
            pre: pre.index(),
            counter,
            step: c,
            bound,
            stay,
            next,
            ranges,
        });
    }
    None
}

/// Builds straight-line code block by block; every failing step goes to `slow`.
struct Emit<'f> {
    f: &'f mut Function,
    cur: usize,
    slow: Target,
}

impl Emit<'_> {
    fn new_block(&mut self, params: Vec<Value>) -> usize {
        let placeholder = Term::Jump(self.slow.clone());
        self.f.blocks.push(BlockData {
            params,
            insts: Vec::new(),
            term: placeholder,
            cold: false,
        });
        self.f.blocks.len() - 1
    }

    fn inst(&mut self, ty: Type, make: impl FnOnce(Value) -> Inst) -> Value {
        let dst = self.f.new_value(ty);
        self.f.blocks[self.cur].insts.push(make(dst));
        dst
    }

    fn konst(&mut self, value: i64) -> Value {
        self.inst(Type::I64, |dst| Inst::Const { dst, value })
    }

    fn bin(&mut self, op: BinOp, a: Value, b: Value) -> Value {
        self.inst(Type::I64, |dst| Inst::Binary { dst, op, a, b })
    }

    fn checked(&mut self, op: CheckedOp, a: Value, b: Value) -> Value {
        let r = self.f.new_value(Type::I64);
        let ok = self.new_block(vec![r]);
        self.f.blocks[self.cur].term = Term::Checked {
            op,
            a,
            b,
            ok: Block(ok as u32),
            fail: self.slow.clone(),
        };
        self.cur = ok;
        r
    }

    /// Goes on only when `a op b`.
    fn require(&mut self, op: Cmp, a: Value, b: Value) {
        let next = self.new_block(Vec::new());
        self.f.blocks[self.cur].term = Term::BranchCmp {
            op,
            a,
            b,
            then: Target::plain(Block(next as u32)),
            els: self.slow.clone(),
        };
        self.cur = next;
    }

    fn add_k(&mut self, a: Value, k: i64) -> Value {
        if k == 0 {
            return a;
        }
        let k = self.konst(k);
        self.checked(CheckedOp::Add, a, k)
    }

    fn mul_k(&mut self, a: Value, k: i64) -> Value {
        if k == 1 {
            return a;
        }
        let k = self.konst(k);
        self.checked(CheckedOp::Mul, a, k)
    }
}

/// Puts the closed form of `p`'s loop on its entry edge.
fn apply(f: &mut Function, p: &Plan) {
    let h = p.header;
    let tys: Vec<Type> = f.blocks[h]
        .params
        .iter()
        .map(|&v| f.value_type(v))
        .collect();
    let init: Vec<Value> = tys.iter().map(|&t| f.new_value(t)).collect();
    let slow = Target::new(Block(h as u32), init.clone());
    let mut e = Emit { f, cur: 0, slow };
    let entry = e.new_block(init.clone());
    // The entry edge now goes through the new block.
    e.f.blocks[p.pre].term.for_each_target_mut(|t| {
        if t.block.index() == h {
            t.block = Block(entry as u32);
        }
    });
    e.cur = entry;
    // A Lin's value on entry (its first turn's).
    let val = |e: &mut Emit, l: Lin| -> Value {
        let base = match (l.param.map(|k| init[k]), l.inv) {
            (Some(a), Some(b)) => e.checked(CheckedOp::Add, a, b),
            (a, b) => match a.or(b) {
                Some(v) => v,
                None => return e.konst(l.d),
            },
        };
        e.add_k(base, l.d)
    };
    let i0 = init[p.counter];
    let n = val(&mut e, p.bound);
    // A loop that does not run at all is left to itself.
    e.require(p.stay, i0, n);
    // The trip count: ⌈distance / |c|⌉ turns.
    let c = p.step;
    let (from, to) = if matches!(p.stay, Cmp::Lt | Cmp::Le) {
        (i0, n)
    } else {
        (n, i0)
    };
    let mut dist = e.checked(CheckedOp::Sub, to, from);
    if matches!(p.stay, Cmp::Le | Cmp::Ge) {
        dist = e.add_k(dist, 1);
    }
    let (zero, one) = (e.konst(0), e.konst(1));
    let trips = if c.unsigned_abs() == 1 {
        dist
    } else {
        let d1 = e.bin(BinOp::Sub, dist, one);
        let m = e.konst(c.unsigned_abs() as i64);
        let q = e.checked(CheckedOp::DivT, d1, m);
        e.bin(BinOp::Add, q, one)
    };
    let trips_1 = e.bin(BinOp::Sub, trips, one);
    // Every sum the body computes, at its first and last turn.
    for &r in &p.ranges {
        let first = val(&mut e, r);
        if let Some(Next::Step(ck)) = r.param.map(|k| p.next[k]) {
            let span = e.mul_k(trips_1, ck);
            e.checked(CheckedOp::Add, first, span);
        }
    }
    // T·(T−1)/2 exactly: halve whichever factor is even.
    let mut tri = None;
    let mut finals = init.clone();
    for (k, nx) in p.next.iter().enumerate() {
        match *nx {
            Next::Same => {}
            Next::Step(ck) => {
                let span = e.mul_k(trips, ck);
                finals[k] = e.checked(CheckedOp::Add, init[k], span);
            }
            Next::Sum { sub, term } => {
                let total = match term.param.map(|j| p.next[j]) {
                    Some(Next::Step(cj)) => {
                        let first = val(&mut e, term);
                        // Terms of one sign: the partial sums run monotonically from the
                        // initial to the final value.
                        e.require(if cj > 0 { Cmp::Ge } else { Cmp::Le }, first, zero);
                        let tri = *tri.get_or_insert_with(|| {
                            let odd = e.bin(BinOp::And, trips, one);
                            let even = e.inst(Type::Bool, |dst| Inst::Cmp {
                                dst,
                                op: Cmp::Eq,
                                a: odd,
                                b: zero,
                            });
                            let half = e.bin(BinOp::Sar, trips, one);
                            let half_1 = e.bin(BinOp::Sar, trips_1, one);
                            let x = e.inst(Type::I64, |dst| Inst::Select {
                                dst,
                                cond: even,
                                a: half,
                                b: trips,
                            });
                            let y = e.inst(Type::I64, |dst| Inst::Select {
                                dst,
                                cond: even,
                                a: trips_1,
                                b: half_1,
                            });
                            e.checked(CheckedOp::Mul, x, y)
                        });
                        let base = e.checked(CheckedOp::Mul, trips, first);
                        let rise = e.mul_k(tri, cj);
                        e.checked(CheckedOp::Add, base, rise)
                    }
                    // An invariant term (a constant, a value from outside, an unchanged
                    // parameter, or a sum of them).
                    _ => {
                        let x = val(&mut e, term);
                        e.checked(CheckedOp::Mul, trips, x)
                    }
                };
                let op = if sub { CheckedOp::Sub } else { CheckedOp::Add };
                finals[k] = e.checked(op, init[k], total);
            }
        }
    }
    // To the header with everything at its final value: its test fails there (that is
    // what ends the loop after T turns), so it leaves for the exit, which may use the
    // header's parameters directly.
    e.f.blocks[e.cur].term = Term::Jump(Target::new(Block(h as u32), finals));
}

/// Gives every qualifying loop a closed-form path; says whether it found any.
pub fn close_counted_loops(f: &mut Function) -> bool {
    if !super::may_loop(f) {
        return false;
    }
    let consts = super::int_constants(f);
    let mut changed = false;
    let headers = f.blocks.len();
    // Computed again only after a loop changed the graph (rare).
    let mut preds = Predecessors::compute(f);
    for h in 0..headers {
        if let Some(p) = plan(f, &preds, &consts, h) {
            apply(f, &p);
            preds = Predecessors::compute(f);
            changed = true;
        }
    }
    changed
}
