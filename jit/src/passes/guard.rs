//! Overflow checks a dominating comparison already rules out: in
//! `br (lt x, y), B, …` → `B: x + 1 checked`, `x < y ≤ i64::MAX` so `x + 1` cannot overflow
//! (and after `x > y`, neither can `x - 1`). The checked add becomes a plain add and a jump —
//! the shape of every counted loop's increment (`for i in range(n)`).

use crate::cfg::Predecessors;
use crate::ir::*;
use alloc::collections::BTreeMap;

pub fn drop_guarded_overflow_checks(f: &mut Function) -> bool {
    let mut consts: BTreeMap<Value, i64> = BTreeMap::new();
    let mut cmps: BTreeMap<Value, (Cmp, Value, Value)> = BTreeMap::new();
    for b in &f.blocks {
        for i in &b.insts {
            match *i {
                Inst::Const { dst, value } => {
                    consts.insert(dst, value);
                }
                Inst::Cmp { dst, op, a, b } => {
                    cmps.insert(dst, (op, a, b));
                }
                _ => {}
            }
        }
    }
    let preds = Predecessors::compute(f);
    let mut changed = false;
    for bi in 1..f.blocks.len() {
        let Term::Checked {
            op, a: x, b: k, ok, ..
        } = f.blocks[bi].term
        else {
            continue;
        };
        // +1 needs x < y; -1 needs x > y.
        let need = match (op, consts.get(&k)) {
            (CheckedOp::Add, Some(1)) | (CheckedOp::Sub, Some(-1)) => Cmp::Lt,
            (CheckedOp::Add, Some(-1)) | (CheckedOp::Sub, Some(1)) => Cmp::Gt,
            _ => continue,
        };
        let &[p] = preds.of(Block(bi as u32)) else {
            continue;
        };
        if p.index() == bi {
            continue;
        }
        // The edge into this block is taken only when `x need y` holds.
        let holds = match &f.blocks[p.index()].term {
            Term::Branch { cond, then, els }
                if then.block.index() == bi && els.block.index() != bi =>
            {
                cmps.get(cond).map(|&(c, a, b)| (c, a, b))
            }
            Term::Branch { cond, then, els }
                if els.block.index() == bi && then.block.index() != bi =>
            {
                cmps.get(cond).map(|&(c, a, b)| (c.inverse(), a, b))
            }
            Term::BranchCmp {
                op,
                a,
                b,
                then,
                els,
            } if then.block.index() == bi && els.block.index() != bi => Some((*op, *a, *b)),
            Term::BranchCmp {
                op,
                a,
                b,
                then,
                els,
            } if els.block.index() == bi && then.block.index() != bi => {
                Some((op.inverse(), *a, *b))
            }
            _ => None,
        };
        let guarded = match holds {
            Some((c, a, _)) if a == x => c == need,
            Some((c, _, b)) if b == x => c.swapped() == need,
            _ => false,
        };
        if !guarded {
            continue;
        }
        let dst = f.new_value(Type::I64);
        let bop = if op == CheckedOp::Add {
            BinOp::Add
        } else {
            BinOp::Sub
        };
        let blk = &mut f.blocks[bi];
        blk.insts.push(Inst::Binary {
            dst,
            op: bop,
            a: x,
            b: k,
        });
        blk.term = Term::Jump(Target::new(ok, alloc::vec![dst]));
        changed = true;
    }
    changed
}
