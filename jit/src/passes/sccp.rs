//! Sparse conditional constant propagation (Wegman & Zadeck): constants flow through
//! instructions, block parameters and only the edges that can execute, all in one pass.
//! A loop whose counter provably stays constant, a branch on a value that is always the
//! same, a checked operation that cannot fail — all fold here without the fixed-point
//! iteration local folding would need.

use crate::ir::*;
use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lat {
    /// No evidence yet (optimistic).
    Top,
    Const(i64),
    /// Varies.
    Bottom,
}

fn meet(a: Lat, b: Lat) -> Lat {
    match (a, b) {
        (Lat::Top, x) | (x, Lat::Top) => x,
        (Lat::Const(x), Lat::Const(y)) if x == y => a,
        _ => Lat::Bottom,
    }
}

/// A user of a value: an instruction, or the terminator (`inst == u32::MAX`); for a
/// terminator, which of its edge arguments the value is (`arg`, counted over its targets in
/// order), or `u32::MAX` when it is an operand that decides the edges.
#[derive(Clone, Copy)]
struct User {
    block: u32,
    inst: u32,
    arg: u32,
}

/// How many of a terminator's operands come before its edge arguments (in
/// `for_each_use` order): those decide which edges are taken.
fn deciding(t: &Term) -> usize {
    match t {
        Term::Jump(_) => 0,
        Term::Branch { .. } | Term::Landing { .. } | Term::Return(_) | Term::ReturnToLanding(_) => {
            1
        }
        Term::BranchCmp { .. } | Term::Checked { .. } => 2,
    }
}

struct Solver<'a> {
    f: &'a Function,
    lat: Vec<Lat>,
    executable: Vec<bool>,
    block_work: Vec<Block>,
    value_work: Vec<Value>,
    /// While re-running a terminator because one of its edge arguments changed (not an
    /// operand that decides the edges, so the same edges are taken): that argument, the
    /// only one to pass on (a jump with thousands of arguments is not re-flowed whole for
    /// each of them).
    only: Option<usize>,
    /// In [`sweep`]: no worklists (each block is visited once, in order).
    sweeping: bool,
}

impl<'a> Solver<'a> {
    /// Nothing known yet but the parameters, which vary.
    fn new(f: &'a Function) -> Solver<'a> {
        let mut lat = vec![Lat::Top; f.num_values()];
        for &p in &f.blocks[0].params {
            lat[p.index()] = Lat::Bottom;
        }
        Solver {
            f,
            lat,
            executable: vec![false; f.blocks.len()],
            block_work: Vec::new(),
            value_work: Vec::new(),
            only: None,
            sweeping: false,
        }
    }

    fn lower(&mut self, v: Value, new: Lat) {
        let old = self.lat[v.index()];
        let m = meet(old, new);
        if m != old {
            self.lat[v.index()] = m;
            if !self.sweeping {
                self.value_work.push(v);
            }
        }
    }

    /// Passes `t`'s arguments (numbered from `first` over the terminator's targets) on.
    fn flow(&mut self, t: &Target, first: usize) {
        let params = &self.f.block(t.block).params;
        match self.only {
            None => {
                for (&p, &a) in params.iter().zip(&t.args) {
                    let l = self.lat[a.index()];
                    self.lower(p, l);
                }
            }
            Some(k) => {
                if let Some(i) = k.checked_sub(first).filter(|&i| i < t.args.len()) {
                    let l = self.lat[t.args[i].index()];
                    self.lower(params[i], l);
                }
            }
        }
        self.reach(t.block);
    }

    fn reach(&mut self, b: Block) {
        if !self.executable[b.index()] {
            self.executable[b.index()] = true;
            if !self.sweeping {
                self.block_work.push(b);
            }
        }
    }

    fn binary(&self, a: Value, b: Value, eval: impl Fn(i64, i64) -> i64) -> Lat {
        match (self.lat[a.index()], self.lat[b.index()]) {
            (Lat::Const(x), Lat::Const(y)) => Lat::Const(eval(x, y)),
            (Lat::Top, _) | (_, Lat::Top) => Lat::Top,
            _ => Lat::Bottom,
        }
    }

    fn inst(&mut self, i: &Inst) {
        let l = |v: &Value| self.lat[v.index()];
        let new = match i {
            Inst::Const { value, .. } => Lat::Const(*value),
            Inst::Bool { value, .. } => Lat::Const(*value as i64),
            Inst::Copy { src, .. } => l(src),
            Inst::Unary { op, src, .. } => match l(src) {
                Lat::Const(x) => Lat::Const(match op {
                    UnOp::Neg => x.wrapping_neg(),
                    UnOp::Not if self.f.value_type(*src) == Type::Bool => x ^ 1,
                    UnOp::Not => !x,
                }),
                other => other,
            },
            // Identities that hold whatever the operands are: x - x, x ^ x, x * 0, x & 0, …
            Inst::Binary {
                op: BinOp::Sub | BinOp::Xor,
                a,
                b,
                ..
            } if a == b => Lat::Const(0),
            Inst::Binary {
                op: BinOp::And | BinOp::Or,
                a,
                b,
                ..
            } if a == b => l(a),
            Inst::Binary {
                op: BinOp::Mul | BinOp::And,
                a,
                b,
                ..
            } if l(a) == Lat::Const(0) || l(b) == Lat::Const(0) => Lat::Const(0),
            Inst::Binary { op, a, b, .. } => self.binary(*a, *b, |x, y| op.eval(x, y)),
            Inst::Cmp { op, a, b, .. } if a == b => {
                Lat::Const(matches!(op, Cmp::Eq | Cmp::Le | Cmp::Ge | Cmp::Ule | Cmp::Uge) as i64)
            }
            Inst::Cmp { op, a, b, .. } => self.binary(*a, *b, |x, y| op.eval(x, y) as i64),
            Inst::Select { cond, a, b, .. } => match l(cond) {
                Lat::Top => Lat::Top,
                Lat::Const(c) => l(if c != 0 { a } else { b }),
                Lat::Bottom if a == b => l(a),
                Lat::Bottom => meet(l(a), l(b)),
            },
            Inst::Call { .. } | Inst::CallHost { .. } | Inst::Load { .. } | Inst::Store { .. } => {
                Lat::Bottom
            }
        };
        self.lower(i.dst(), new);
    }

    fn term(&mut self, t: &Term) {
        let l = |v: &Value| self.lat[v.index()];
        match t {
            Term::Return(_) | Term::ReturnToLanding(_) => {}
            Term::Jump(t) => self.flow(t, 0),
            // Which way a call returns is known only when it does.
            Term::Landing { landed, normal, .. } => {
                self.flow(landed, 0);
                self.flow(normal, landed.args.len());
            }
            Term::Branch { cond, then, els } => match l(cond) {
                Lat::Top => {}
                Lat::Const(c) if c != 0 => self.flow(then, 0),
                Lat::Const(_) => self.flow(els, then.args.len()),
                Lat::Bottom => {
                    self.flow(then, 0);
                    self.flow(els, then.args.len());
                }
            },
            Term::BranchCmp {
                op,
                a,
                b,
                then,
                els,
            } => match (l(a), l(b)) {
                (Lat::Const(x), Lat::Const(y)) if op.eval(x, y) => self.flow(then, 0),
                (Lat::Const(_), Lat::Const(_)) => self.flow(els, then.args.len()),
                (Lat::Top, _) | (_, Lat::Top) => {}
                _ => {
                    self.flow(then, 0);
                    self.flow(els, then.args.len());
                }
            },
            Term::Checked { op, a, b, ok, fail } => match (l(a), l(b)) {
                (Lat::Const(x), Lat::Const(y)) => match op.eval(x, y) {
                    Some(r) => {
                        let p = self.f.block(*ok).params[0];
                        self.lower(p, Lat::Const(r));
                        self.reach(*ok);
                    }
                    None => self.flow(fail, 0),
                },
                (Lat::Top, _) | (_, Lat::Top) => {}
                _ => {
                    let p = self.f.block(*ok).params[0];
                    self.lower(p, Lat::Bottom);
                    self.reach(*ok);
                    self.flow(fail, 0);
                }
            },
        }
    }
}

/// Runs SCCP and rewrites what it proved: constant values become constants, decided
/// branches and checks become jumps. Blocks it proved unreachable are left for DCE.
pub fn propagate_constants(f: &mut Function) -> bool {
    let (lat, executable) = if super::may_loop(f) {
        solve(f, &Users::of(f))
    } else {
        sweep(f)
    };
    rewrite(f, &lat, &executable)
}

/// The users of each value, as a flat list with offsets (one allocation).
struct Users {
    /// Value v's users are `list[start[v]..start[v + 1]]`.
    start: Vec<u32>,
    list: Vec<User>,
}

impl Users {
    fn of(f: &Function) -> Users {
        let n = f.num_values();
        let mut count = vec![0u32; n + 1];
        for b in &f.blocks {
            for i in &b.insts {
                i.for_each_use(|v| count[v.index() + 1] += 1);
            }
            b.term.for_each_use(|v| count[v.index() + 1] += 1);
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut users = vec![
            User {
                block: 0,
                inst: 0,
                arg: 0
            };
            count[n] as usize
        ];
        for (bi, b) in f.blocks.iter().enumerate() {
            for (ii, i) in b.insts.iter().enumerate() {
                i.for_each_use(|v| {
                    users[fill[v.index()] as usize] = User {
                        block: bi as u32,
                        inst: ii as u32,
                        arg: u32::MAX,
                    };
                    fill[v.index()] += 1;
                });
            }
            let d = deciding(&b.term);
            let mut k: usize = 0;
            b.term.for_each_use(|v| {
                users[fill[v.index()] as usize] = User {
                    block: bi as u32,
                    inst: u32::MAX,
                    arg: k.checked_sub(d).map_or(u32::MAX, |a| a as u32),
                };
                fill[v.index()] += 1;
                k += 1;
            });
        }
        Users {
            start: count,
            list: users,
        }
    }

    fn of_value(&self, v: Value) -> &[User] {
        &self.list[self.start[v.index()] as usize..self.start[v.index() + 1] as usize]
    }
}

/// The solver's fixpoint: each value's lattice element, and which blocks can run.
fn solve(f: &Function, users: &Users) -> (Vec<Lat>, Vec<bool>) {
    let mut s = Solver::new(f);
    s.reach(Block::ENTRY);
    loop {
        if let Some(b) = s.block_work.pop() {
            let data = f.block(b);
            for i in &data.insts {
                s.inst(i);
            }
            s.term(&data.term);
        } else if let Some(v) = s.value_work.pop() {
            for u in users.of_value(v) {
                if !s.executable[u.block as usize] {
                    continue;
                }
                let data = &f.blocks[u.block as usize];
                if u.inst == u32::MAX {
                    s.only = (u.arg != u32::MAX).then_some(u.arg as usize);
                    s.term(&data.term);
                    s.only = None;
                } else {
                    s.inst(&data.insts[u.inst as usize]);
                }
            }
        } else {
            break;
        }
    }
    (s.lat, s.executable)
}

/// The fixpoint of a function whose every edge goes to a later block ([`super::may_loop`]
/// false): block order is then a topological order, so one pass over the blocks sees
/// every edge into a block before the block itself — each instruction is evaluated once,
/// with no list of users and no worklist.
fn sweep(f: &Function) -> (Vec<Lat>, Vec<bool>) {
    let mut s = Solver::new(f);
    s.executable[0] = true;
    s.sweeping = true;
    for (b, data) in f.blocks.iter().enumerate() {
        if !s.executable[b] {
            continue;
        }
        for i in &data.insts {
            s.inst(i);
        }
        s.term(&data.term);
    }
    (s.lat, s.executable)
}

/// The instruction defining `dst` as the constant `c`.
fn constant(f: &Function, dst: Value, c: i64) -> Inst {
    if f.value_type(dst) == Type::Bool {
        Inst::Bool { dst, value: c != 0 }
    } else {
        Inst::Const { dst, value: c }
    }
}

/// Rewrites what the solver proved; true if anything changed.
fn rewrite(f: &mut Function, lat: &[Lat], executable: &[bool]) -> bool {
    let mut changed = false;
    let mut param_consts: Vec<(Value, i64)> = Vec::new();
    for (bi, &live) in executable.iter().enumerate() {
        if !live {
            continue;
        }
        for ii in 0..f.blocks[bi].insts.len() {
            let i = &f.blocks[bi].insts[ii];
            if let Lat::Const(c) = lat[i.dst().index()]
                && !matches!(i, Inst::Const { .. } | Inst::Bool { .. })
            {
                let new = constant(f, i.dst(), c);
                f.blocks[bi].insts[ii] = new;
                changed = true;
            }
        }
        for &p in &f.blocks[bi].params {
            if let Lat::Const(c) = lat[p.index()] {
                param_consts.push((p, c));
            }
        }
        if let Some(t) = decided_term(f, bi, lat) {
            f.blocks[bi].term = t;
            changed = true;
        }
    }
    // Constant block parameters: define the constant at the top of the entry block (which
    // dominates every use) and read that instead.
    if !param_consts.is_empty() {
        let mut subst: Vec<Value> = (0..f.num_values() as u32).map(Value).collect();
        let mut defs = Vec::with_capacity(param_consts.len());
        for (p, c) in param_consts {
            let v = f.new_value(f.value_type(p));
            subst.push(v);
            subst[p.index()] = v;
            defs.push(constant(f, v, c));
        }
        f.blocks[0].insts.splice(0..0, defs);
        super::map_all_uses(f, |v| subst[v.index()]);
        changed = true;
    }
    changed
}

/// Block `bi`'s terminator as a jump, when its operands decide it.
fn decided_term(f: &mut Function, bi: usize, lat: &[Lat]) -> Option<Term> {
    let l = |v: &Value| lat[v.index()];
    match &f.blocks[bi].term {
        Term::Branch { cond, then, els } => match l(cond) {
            Lat::Const(c) => Some(Term::Jump(if c != 0 { then.clone() } else { els.clone() })),
            _ => None,
        },
        Term::BranchCmp {
            op,
            a,
            b,
            then,
            els,
        } => match (l(a), l(b)) {
            (Lat::Const(x), Lat::Const(y)) => Some(Term::Jump(if op.eval(x, y) {
                then.clone()
            } else {
                els.clone()
            })),
            _ => None,
        },
        Term::Checked { op, a, b, ok, fail } => match (l(a), l(b)) {
            (Lat::Const(x), Lat::Const(y)) => Some(match op.eval(x, y) {
                Some(r) => {
                    let ok = *ok;
                    let v = f.new_value(Type::I64);
                    f.blocks[bi].insts.push(Inst::Const { dst: v, value: r });
                    Term::Jump(Target::new(ok, vec![v]))
                }
                None => Term::Jump(fail.clone()),
            }),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one pass over a function without loops finds what the worklist finds: the same
    /// value for every value, the same blocks that run.
    #[test]
    fn the_sweep_agrees_with_the_worklist_without_loops() {
        let src = "
fn f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst 3
    v3 = iconst 4
    v4 = add v2, v3
    br_lt v2, v3, block1, block2
block1:
    v5 = mul v4, v2
    jump block3(v5, v0)
block2:
    v6 = sub v0, v1
    jump block3(v6, v1)
block3(v7: i64, v8: i64):
    v9 = iconst 21
    br_eq v7, v9, block4, block5
block4:
    add.ovf v7, v8 -> block6, else block5
block5:
    ret v1
block6(v10: i64):
    v11 = sub v10, v10
    v12 = add v11, v7
    ret v12
}
";
        let m = crate::text::parse_module(src).unwrap();
        let f = m.functions().next().unwrap().1;
        assert!(!super::super::may_loop(f));
        let (lat, exec) = sweep(f);
        assert_eq!((lat.clone(), exec.clone()), solve(f, &Users::of(f)));
        // Constants through the decided branch and the join; block2 never runs.
        assert_eq!(lat[7], Lat::Const(21));
        assert_eq!(lat[12], Lat::Const(21));
        assert_eq!(lat[8], Lat::Bottom);
        assert_eq!(exec, [true, true, false, true, true, true, true]);
    }
}
