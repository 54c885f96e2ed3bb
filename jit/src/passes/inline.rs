//! Inlining of calls to small functions of the same module (a self-call included, one
//! level deep: recursive fib then does two levels of work per real call, as gcc -O2's
//! recursive inlining does).
//!
//! The call's block is split after the call; the callee's blocks are copied in with fresh
//! value and block numbers; the call becomes a jump to the copied entry with the call's
//! arguments, and every copied `return v` a jump to the continuation, whose parameter is the
//! call's result (a return to the call's landing, a jump to the landed edge).

use crate::ir::*;
use crate::module::Module;
use alloc::vec::Vec;

/// Callees up to this many instructions (terminators included) are inlined.
pub const MAX_CALLEE_SIZE: usize = 40;
/// Inlining stops once the function has grown by this many instructions.
pub const MAX_GROWTH: usize = 200;

/// Whether `f` calls anything small enough to inline (cheap; saves the snapshot clone).
pub fn has_candidates(f: &Function, self_id: FuncId, m: &Module) -> bool {
    f.blocks.iter().flat_map(|b| &b.insts).any(|i| match i {
        Inst::Call { func, .. } if *func == self_id => inline_size(f).is_some(),
        Inst::Call { func, .. } => m.function(*func).and_then(inline_size).is_some(),
        _ => false,
    })
}

/// The instructions of `f` on its hot paths (terminators included, constants — immediates
/// where they are used — not): what a call inlines onto the caller's path. Cold blocks ([`crate::cfg::cold`]) — a failure that exits (a
/// raise), a trap, what only a failing checked operation or a block the front end marked
/// cold leads to — are not counted, so that a function does not stop being inlined for
/// having more places that can fail.
pub fn returning_size(f: &Function) -> usize {
    let cold = crate::cfg::cold(f, &crate::cfg::Predecessors::compute(f));
    f.blocks
        .iter()
        .zip(&cold)
        .filter(|(_, c)| !**c)
        .map(|(b, _)| {
            b.insts
                .iter()
                .filter(|i| !matches!(i, Inst::Const { .. }))
                .count()
                + 1
        })
        .sum()
}

/// What a call of `f` inlines ([`returning_size`]) if that is at most [`MAX_CALLEE_SIZE`]
/// (counted only when the whole could be near that: cold code — failures, hand-overs to
/// other code — may be several times the hot path).
fn inline_size(f: &Function) -> Option<usize> {
    (f.inst_count() <= 8 * MAX_CALLEE_SIZE)
        .then(|| returning_size(f))
        .filter(|&n| n <= MAX_CALLEE_SIZE)
}

/// Inlines small callees into `f` (id `self_id`). `self_body` is the body to use for a
/// self-call (typically `f` as it stood before inlining started).
pub fn inline_small_calls(
    f: &mut Function,
    self_id: FuncId,
    m: &Module,
    self_body: &Function,
) -> bool {
    let mut grown = 0;
    let mut changed = false;
    let mut bi = 0;
    // Blocks appended by inlining are not revisited: one level deep.
    let original_blocks = f.blocks.len();
    while bi < original_blocks.min(f.blocks.len()) {
        let site = f.blocks[bi].insts.iter().position(|i| match i {
            Inst::Call { dst, .. } if result_seen_past_landing(f, bi, *dst) => false,
            Inst::Call { func, .. } => {
                let callee = if *func == self_id {
                    Some(self_body)
                } else {
                    m.function(*func)
                };
                callee
                    .and_then(inline_size)
                    .is_some_and(|n| grown + n <= MAX_GROWTH)
            }
            _ => false,
        });
        let Some(ii) = site else {
            bi += 1;
            continue;
        };
        let Inst::Call { dst, func, args } = f.blocks[bi].insts[ii].clone() else {
            unreachable!()
        };
        let callee = if func == self_id {
            self_body.clone()
        } else {
            m.function(func).expect("checked above").clone()
        };
        grown += returning_size(&callee);
        inline_at(f, bi, ii, dst, &args, &callee);
        changed = true;
        // The rest of block bi moved to the continuation block; look at bi again (earlier
        // calls in it were already passed over).
    }
    changed
}

/// Whether `call`, the result of a call that block `bi` ends with a landing for, is read
/// anywhere but as an argument of the landing's edges. Such a call is not inlined: its
/// result, the normal continuation's parameter once inlined, would not reach a landed
/// way that reads it. (Front ends pass it on as an edge argument.)
fn result_seen_past_landing(f: &Function, bi: usize, call: Value) -> bool {
    if !matches!(f.blocks[bi].term, Term::Landing { call: c, .. } if c == call) {
        return false;
    }
    f.blocks.iter().enumerate().any(|(i, b)| {
        let mut seen = false;
        b.insts
            .iter()
            .for_each(|inst| inst.for_each_use(|v| seen |= v == call));
        if i != bi {
            b.term.for_each_use(|v| seen |= v == call);
        }
        seen
    })
}

fn inline_at(
    f: &mut Function,
    bi: usize,
    ii: usize,
    dst: Value,
    args: &[Value],
    callee: &Function,
) {
    // Split: the continuation takes the instructions after the call and the terminator.
    let cont = Block(f.blocks.len() as u32);
    let rest: Vec<Inst> = f.blocks[bi].insts.drain(ii..).skip(1).collect();
    let base = f.blocks.len() as u32 + 1;
    let mut term = core::mem::replace(
        &mut f.blocks[bi].term,
        Term::Jump(Target::new(Block(base), args.to_vec())),
    );
    // A call with a landing: the callee's returns to it go straight to the landed edge
    // (through a block of their own, after the callee's), its returns to the normal one.
    let mut landed_cont = None;
    if let Term::Landing {
        call,
        landed,
        normal,
    } = &term
        && *call == dst
    {
        let r = f.new_value(Type::I64);
        let mut landed = landed.clone();
        landed.args.iter_mut().for_each(|a| {
            if *a == dst {
                *a = r
            }
        });
        landed_cont = Some((r, landed));
        term = Term::Jump(normal.clone());
    }
    let cold = f.blocks[bi].cold;
    f.blocks.push(BlockData {
        params: alloc::vec![dst],
        insts: rest,
        term,
        cold,
    });
    let landing = Block(base + callee.blocks.len() as u32);
    // Copy the callee with fresh numbers.
    let map: Vec<Value> = callee.value_types.iter().map(|&t| f.new_value(t)).collect();
    let v = |x: Value| map[x.index()];
    inline_sites(f, dst, callee, v);
    for b in &callee.blocks {
        let mut insts = b.insts.clone();
        for i in &mut insts {
            i.map_uses(v);
            i.set_dst(v(i.dst()));
        }
        let mut term = b.term.clone();
        term.map_uses(v);
        term.map_blocks(|x| Block(base + x.0));
        match term {
            Term::Return(r) => term = Term::Jump(Target::new(cont, alloc::vec![r])),
            Term::ReturnToLanding(r) => {
                let to = if landed_cont.is_some() { landing } else { cont };
                term = Term::Jump(Target::new(to, alloc::vec![r]))
            }
            _ => {}
        }
        f.blocks.push(BlockData {
            params: b.params.iter().map(|&p| v(p)).collect(),
            insts,
            term,
            cold: b.cold,
        });
    }
    if let Some((r, landed)) = landed_cont {
        f.blocks.push(BlockData {
            params: alloc::vec![r],
            insts: Vec::new(),
            term: Term::Jump(landed),
            cold: true,
        });
    }
}

/// The callee's call sites, now inside the call whose result was `dst`: each one's chain
/// gains the call's site as its outermost link (the callee's own inlined sites come along).
fn inline_sites(f: &mut Function, dst: Value, callee: &Function, v: impl Fn(Value) -> Value) {
    let outer = f.sites.remove(dst);
    if callee.sites.is_empty() {
        return;
    }
    let shift = f.inlined.len() as u32;
    let moved = |s: Site| {
        if s.0 >= Site::INLINED {
            Site(s.0 + shift)
        } else {
            s
        }
    };
    let copied: Vec<(Site, Site)> = callee
        .inlined
        .iter()
        .map(|&(a, b)| (moved(a), moved(b)))
        .collect();
    f.inlined.extend(copied);
    for (call, site) in callee.sites.iter() {
        let inner = moved(site);
        let s = match outer {
            Some(o) => f.inlined_site(inner, o),
            None => inner,
        };
        f.sites.insert(v(call), s);
    }
}
