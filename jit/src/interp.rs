//! The reference interpreter: the IR's meaning, executed directly. Tests compare compiled
//! code against it.

use crate::ir::*;
use crate::module::Module;
use alloc::vec;
use alloc::vec::Vec;

/// Why interpretation stopped without a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trap {
    /// The step budget ran out (a loop that runs too long, or forever).
    OutOfFuel,
    /// Calls nested deeper than the depth limit.
    StackOverflow,
    /// A call to an undefined function or an unbound host function.
    Unresolved,
    /// A host function with more than 8 parameters.
    TooManyHostArgs,
    /// A load or store in a module that does not allow them
    /// ([`Module::allow_memory_access`]).
    NoMemoryAccess,
}

/// Runs `func` with `args` (bools as 0/1), for at most `fuel` executed instructions.
pub fn run(m: &Module, func: FuncId, args: &[i64], fuel: u64) -> Result<i64, Trap> {
    let mut st = State { m, fuel, depth: 0 };
    Ok(st.call(func, args)?.0)
}

struct State<'a> {
    m: &'a Module,
    fuel: u64,
    depth: u32,
}

const MAX_DEPTH: u32 = 10_000;

impl State<'_> {
    /// The result, and whether it came by [`Term::ReturnToLanding`].
    fn call(&mut self, id: FuncId, args: &[i64]) -> Result<(i64, bool), Trap> {
        let f = self.m.function(id).ok_or(Trap::Unresolved)?;
        if self.depth >= MAX_DEPTH {
            return Err(Trap::StackOverflow);
        }
        self.depth += 1;
        let r = self.exec(f, args);
        self.depth -= 1;
        r
    }

    fn exec(&mut self, f: &Function, args: &[i64]) -> Result<(i64, bool), Trap> {
        let mut vals = vec![0i64; f.num_values()];
        // Whether the last call returned to its landing.
        let mut landed = false;
        let mut block = Block::ENTRY;
        let mut incoming: Vec<i64> = args.to_vec();
        loop {
            let b = f.block(block);
            for (p, v) in b.params.iter().zip(&incoming) {
                vals[p.index()] = *v;
            }
            for inst in &b.insts {
                self.fuel = self.fuel.checked_sub(1).ok_or(Trap::OutOfFuel)?;
                let r = match inst {
                    Inst::Const { value, .. } => *value,
                    Inst::Bool { value, .. } => *value as i64,
                    Inst::Copy { src, .. } => vals[src.index()],
                    Inst::Unary {
                        op: UnOp::Neg, src, ..
                    } => vals[src.index()].wrapping_neg(),
                    Inst::Unary {
                        op: UnOp::Not, src, ..
                    } => {
                        let x = vals[src.index()];
                        if f.value_type(*src) == Type::Bool {
                            x ^ 1
                        } else {
                            !x
                        }
                    }
                    Inst::Binary { op, a, b, .. } => op.eval(vals[a.index()], vals[b.index()]),
                    Inst::Cmp { op, a, b, .. } => op.eval(vals[a.index()], vals[b.index()]) as i64,
                    Inst::Select { cond, a, b, .. } => {
                        if vals[cond.index()] != 0 {
                            vals[a.index()]
                        } else {
                            vals[b.index()]
                        }
                    }
                    Inst::Call { func, args, .. } => {
                        let a: Vec<i64> = args.iter().map(|v| vals[v.index()]).collect();
                        let (r, l) = self.call(*func, &a)?;
                        landed = l;
                        r
                    }
                    Inst::CallHost { host, args, .. } => {
                        let h = self.m.host(*host).ok_or(Trap::Unresolved)?;
                        if h.addr == 0 {
                            return Err(Trap::Unresolved);
                        }
                        let a: Vec<i64> = args.iter().map(|v| vals[v.index()]).collect();
                        // SAFETY: Module::add_host / bind_host's contract: an extern "C" fn
                        // of exactly this many i64 parameters returning i64.
                        unsafe { call_host(h.addr, &a)? }
                    }
                    Inst::Load { .. } | Inst::Store { .. } if !self.m.memory_access() => {
                        return Err(Trap::NoMemoryAccess);
                    }
                    Inst::Load {
                        addr,
                        offset,
                        width,
                        ..
                    } => {
                        let at = vals[addr.index()].wrapping_add(*offset as i64) as usize;
                        // SAFETY: Module::allow_memory_access's contract: every load
                        // and store addresses valid memory when it runs.
                        unsafe {
                            match width {
                                Width::U8 => (at as *const u8).read_unaligned() as i64,
                                Width::U32 => (at as *const u32).read_unaligned() as i64,
                                Width::U64 => (at as *const i64).read_unaligned(),
                            }
                        }
                    }
                    Inst::Store {
                        addr,
                        offset,
                        value,
                        width,
                        ..
                    } => {
                        let at = vals[addr.index()].wrapping_add(*offset as i64) as usize;
                        let v = vals[value.index()];
                        // SAFETY: as for loads.
                        unsafe {
                            match width {
                                Width::U8 => (at as *mut u8).write_unaligned(v as u8),
                                Width::U32 => (at as *mut u32).write_unaligned(v as u32),
                                Width::U64 => (at as *mut i64).write_unaligned(v),
                            }
                        }
                        0
                    }
                };
                vals[inst.dst().index()] = r;
            }
            self.fuel = self.fuel.checked_sub(1).ok_or(Trap::OutOfFuel)?;
            let args_of = |t: &Target| t.args.iter().map(|v| vals[v.index()]).collect::<Vec<_>>();
            let next = match &b.term {
                Term::Return(v) => return Ok((vals[v.index()], false)),
                Term::ReturnToLanding(v) => return Ok((vals[v.index()], true)),
                Term::Landing {
                    landed: l, normal, ..
                } => {
                    if landed {
                        l
                    } else {
                        normal
                    }
                }
                Term::Jump(t) => t,
                Term::Branch { cond, then, els } => {
                    if vals[cond.index()] != 0 {
                        then
                    } else {
                        els
                    }
                }
                Term::BranchCmp {
                    op,
                    a,
                    b,
                    then,
                    els,
                } => {
                    if op.eval(vals[a.index()], vals[b.index()]) {
                        then
                    } else {
                        els
                    }
                }
                Term::Checked { op, a, b, ok, fail } => {
                    match op.eval(vals[a.index()], vals[b.index()]) {
                        Some(r) => {
                            incoming = vec![r];
                            block = *ok;
                            continue;
                        }
                        None => fail,
                    }
                }
            };
            incoming = args_of(next);
            block = next.block;
        }
    }
}

/// Calls an `extern "C"` host function with up to 8 i64 arguments.
///
/// # Safety
/// `addr` must be such a function with exactly `args.len()` parameters.
pub unsafe fn call_host(addr: usize, args: &[i64]) -> Result<i64, Trap> {
    type F0 = extern "C" fn() -> i64;
    type F1 = extern "C" fn(i64) -> i64;
    type F2 = extern "C" fn(i64, i64) -> i64;
    type F3 = extern "C" fn(i64, i64, i64) -> i64;
    type F4 = extern "C" fn(i64, i64, i64, i64) -> i64;
    type F5 = extern "C" fn(i64, i64, i64, i64, i64) -> i64;
    type F6 = extern "C" fn(i64, i64, i64, i64, i64, i64) -> i64;
    type F7 = extern "C" fn(i64, i64, i64, i64, i64, i64, i64) -> i64;
    type F8 = extern "C" fn(i64, i64, i64, i64, i64, i64, i64, i64) -> i64;
    // SAFETY: forwarded to the caller (the arity picks the matching pointer type).
    unsafe {
        let a = args;
        Ok(match a.len() {
            0 => core::mem::transmute::<usize, F0>(addr)(),
            1 => core::mem::transmute::<usize, F1>(addr)(a[0]),
            2 => core::mem::transmute::<usize, F2>(addr)(a[0], a[1]),
            3 => core::mem::transmute::<usize, F3>(addr)(a[0], a[1], a[2]),
            4 => core::mem::transmute::<usize, F4>(addr)(a[0], a[1], a[2], a[3]),
            5 => core::mem::transmute::<usize, F5>(addr)(a[0], a[1], a[2], a[3], a[4]),
            6 => core::mem::transmute::<usize, F6>(addr)(a[0], a[1], a[2], a[3], a[4], a[5]),
            7 => core::mem::transmute::<usize, F7>(addr)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]),
            8 => core::mem::transmute::<usize, F8>(addr)(
                a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
            ),
            _ => return Err(Trap::TooManyHostArgs),
        })
    }
}
