//! Tail-recursion elimination. `return f(args)`, where `f` is the function itself, becomes
//! a jump to the top with `args` (a tail call as a jump: Ackermann's `ack(m - 1, 1)`, gcd).
//! With an accumulator: `return x ⊕ f(args)`, where ⊕ is a wrapping associative and
//! commutative operation (add, mul, and, or, xor), becomes `acc = acc ⊕ x; jump to the top
//! with args`, and every other `return y` becomes `return acc ⊕ y` (a plain tail call then
//! keeps `acc`). Recursive fib then makes one call per level instead of two; factorial and
//! recursive sums make none. Checked (overflow-trapping) arithmetic is left alone:
//! reassociating it could move or hide an overflow, and so is a call with a source
//! [`Site`](crate::ir::Site) (its frame must stay on the stack).

use crate::ir::*;
use alloc::vec::Vec;

fn identity(op: BinOp) -> Option<i64> {
    match op {
        BinOp::Add | BinOp::Or | BinOp::Xor => Some(0),
        BinOp::Mul => Some(1),
        BinOp::And => Some(-1),
        _ => None,
    }
}

/// A block ending `c = call self(args); …; ret c` (`acc` None) or `c = call self(args); …;
/// r = x ⊕ c; ret r` (`acc` Some((⊕, x))).
struct Site {
    block: usize,
    call: usize,
    acc: Option<(BinOp, Value)>,
}

fn find_site(f: &Function, self_id: FuncId, bi: usize) -> Option<Site> {
    let b = &f.blocks[bi];
    let Term::Return(r) = b.term else { return None };
    // The recursive call: the last call of the block.
    let (ci, call) = b
        .insts
        .iter()
        .enumerate()
        .rev()
        .find(|(_, i)| i.is_call())?;
    let Inst::Call { dst: c, func, .. } = call else {
        return None;
    };
    // A call with a source site stays a call: its frame is one a traceback shows.
    if *func != self_id || f.sites.contains(*c) {
        return None;
    }
    let acc = if r == *c {
        None
    } else {
        let (ri, rinst) = b
            .insts
            .iter()
            .enumerate()
            .rev()
            .find(|(_, i)| i.dst() == r)?;
        let Inst::Binary { op, a, b: rhs, .. } = *rinst else {
            return None;
        };
        identity(op)?;
        if ci > ri {
            return None;
        }
        let other = if a == *c && rhs != *c {
            rhs
        } else if rhs == *c && a != *c {
            a
        } else {
            return None;
        };
        Some((op, other))
    };
    // The call's result feeds only the return (or the one operation).
    let mut uses = 0;
    for blk in &f.blocks {
        for i in &blk.insts {
            i.for_each_use(|v| uses += (v == *c) as u32);
        }
        blk.term.for_each_use(|v| uses += (v == *c) as u32);
    }
    (uses == 1).then_some(Site {
        block: bi,
        call: ci,
        acc,
    })
}

/// Applies the transformation to `f`, which has id `self_id` in its module.
pub fn eliminate_tail_recursion(f: &mut Function, self_id: FuncId) -> bool {
    let sites: Vec<Site> = (0..f.blocks.len())
        .filter_map(|bi| find_site(f, self_id, bi))
        .collect();
    if sites.is_empty() {
        return false;
    }
    let mut ops = sites.iter().filter_map(|s| s.acc.map(|(op, _)| op));
    let op = ops.next();
    if ops.any(|o| Some(o) != op) {
        return false;
    }
    // The old entry becomes the loop header H (with an extra parameter `acc` when there is
    // an accumulator); a new entry (block 0) takes the function's parameters and jumps to
    // H (with the identity).
    let header = Block(f.blocks.len() as u32);
    let mut old_entry = core::mem::replace(
        &mut f.blocks[0],
        BlockData {
            params: Vec::new(),
            insts: Vec::new(),
            term: Term::Return(Value(0)),
            cold: false,
        },
    );
    let acc = op.map(|_| f.new_value(Type::I64));
    old_entry.params.extend(acc);
    let new_params: Vec<Value> = f
        .sig
        .params
        .clone()
        .into_iter()
        .map(|t| f.new_value(t))
        .collect();
    let mut args = new_params.clone();
    let mut insts = Vec::new();
    if let Some(op) = op {
        let init = f.new_value(Type::I64);
        args.push(init);
        insts.push(Inst::Const {
            dst: init,
            value: identity(op).unwrap_or(0),
        });
    }
    f.blocks[0] = BlockData {
        params: new_params,
        insts,
        term: Term::Jump(Target::new(header, args)),
        cold: false,
    };
    f.blocks.push(old_entry);
    // Edges that pointed at the old entry (none: verified IR never jumps to block 0) stay.
    let header_index = header.index();
    let moved = |bi: usize| if bi == 0 { header_index } else { bi };
    let site_blocks: Vec<usize> = sites.iter().map(|s| moved(s.block)).collect();
    for s in &sites {
        let bi = moved(s.block);
        let b = &mut f.blocks[bi];
        let Inst::Call { args, .. } = b.insts.remove(s.call) else {
            unreachable!()
        };
        let mut jump_args = args;
        if let Some((op, other)) = s.acc {
            // Drop the combining instruction (it fed only the return).
            let Term::Return(r) = b.term else {
                unreachable!()
            };
            b.insts.retain(|i| i.dst() != r);
            let next_acc = f.new_value(Type::I64);
            f.blocks[bi].insts.push(Inst::Binary {
                dst: next_acc,
                op,
                a: acc.expect("an accumulator site"),
                b: other,
            });
            jump_args.push(next_acc);
        } else {
            jump_args.extend(acc);
        }
        f.blocks[bi].term = Term::Jump(Target::new(header, jump_args));
    }
    let (Some(op), Some(acc)) = (op, acc) else {
        return true;
    };
    for bi in 1..f.blocks.len() {
        if site_blocks.contains(&bi) {
            continue;
        }
        if let Term::Return(y) = f.blocks[bi].term {
            let out = f.new_value(Type::I64);
            let b = &mut f.blocks[bi];
            b.insts.push(Inst::Binary {
                dst: out,
                op,
                a: acc,
                b: y,
            });
            b.term = Term::Return(out);
        }
    }
    true
}
