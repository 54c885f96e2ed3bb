//! Work after a join moved above the branch both of whose ways reach it at once. Where a
//! block ends in a terminator without effects of its own — a branch, or a checked
//! operation — whose two ways are empty blocks entered only from it that jump to one
//! block, entered by nothing else, every run through the branch runs that block's code:
//! its first instructions that read none of its parameters can as well run before the
//! branch. A range loop's step `next = cur + step` (on overflow `next = stop`) is such a
//! branch, and the body after it reads `cur`: with the body's store above the add, `cur`
//! dies at the add, whose sum then takes its register — one instruction, no copy.

use crate::cfg::Predecessors;
use crate::ir::*;
use alloc::vec::Vec;

/// Moves work up out of joins of empty ways (see the module). Says whether any moved.
pub fn hoist_above_empty_diamonds(f: &mut Function) -> bool {
    // Branches (or checked operations) whose two ways are empty jumps — most functions
    // have none, and then need no predecessors.
    let empty_jump = |b: Block| {
        let d = f.block(b);
        d.insts.is_empty() && matches!(d.term, Term::Jump(_))
    };
    let branches: Vec<Block> = (0..f.blocks.len() as u32)
        .map(Block)
        .filter(|&b| {
            let t = &f.block(b).term;
            matches!(
                t,
                Term::Branch { .. } | Term::BranchCmp { .. } | Term::Checked { .. }
            ) && t.successors().into_iter().all(empty_jump)
        })
        .collect();
    if branches.is_empty() {
        return false;
    }
    let preds = Predecessors::compute(f);
    let mut moved = false;
    for from in branches {
        let ways = f.block(from).term.successors();
        let [s1, s2] = [ways.as_slice()[0], ways.as_slice()[1]];
        let join_of = |s: Block| {
            let data = f.block(s);
            match &data.term {
                Term::Jump(t) if data.insts.is_empty() && preds.of(s) == [from] => Some(t.block),
                _ => None,
            }
        };
        let (Some(j), Some(j2)) = (join_of(s1), join_of(s2)) else {
            continue;
        };
        let mut into: Vec<Block> = preds.of(j).to_vec();
        crate::sort::sort(&mut into);
        into.dedup();
        let (lo, hi) = if s1 < s2 { (s1, s2) } else { (s2, s1) };
        if s1 == s2 || j != j2 || j == from || into != [lo, hi] {
            continue;
        }
        // The longest start of the join's code that reads none of its parameters (and
        // no call: a call with a landing stays its block's last instruction).
        let data = f.block(j);
        let params = &data.params;
        let n = data
            .insts
            .iter()
            .take_while(|i| {
                let mut free = !i.is_call();
                i.for_each_use(|v| free &= !params.contains(&v));
                free
            })
            .count();
        if n == 0 {
            continue;
        }
        let lifted: Vec<Inst> = f.block_mut(j).insts.drain(..n).collect();
        f.block_mut(from).insts.extend(lifted);
        moved = true;
    }
    moved
}

/// If-conversion of a sum under a branch: where one way of a branch only adds `x` to `v`
/// (a checked `v + x` or `v - x`, and nothing else) and both ways then meet, passing the
/// sum one way and `v` the other, the branch becomes the sum of `v` and `c ? x : 0` —
/// which overflows exactly when the original did, since adding 0 never does. A count
/// under a condition the data decides (`if flag: count += 1`) then costs no branch
/// that a predictor must guess: a mispredicted one costs more than the select.
/// Says whether any changed (the dominators are then stale: the way's block is dead).
pub fn convert_conditional_sums(f: &mut Function) -> bool {
    // Branches with a way that is only a checked operation — most functions have none,
    // and then need no predecessors.
    let sum_way = |t: &Target| {
        let d = f.block(t.block);
        d.insts.is_empty() && matches!(d.term, Term::Checked { .. })
    };
    let branches: Vec<Block> = (0..f.blocks.len() as u32)
        .map(Block)
        .filter(|&b| match &f.block(b).term {
            Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                sum_way(then) || sum_way(els)
            }
            _ => false,
        })
        .collect();
    if branches.is_empty() {
        return false;
    }
    let preds = Predecessors::compute(f);
    let mut changed = false;
    for at in branches {
        let (then, els) = match &f.block(at).term {
            Term::Branch { then, els, .. } | Term::BranchCmp { then, els, .. } => {
                (then.clone(), els.clone())
            }
            _ => continue,
        };
        let Some((sum_on_then, sum)) = [(true, &then, &els), (false, &els, &then)]
            .into_iter()
            .find_map(|(on_then, way, other)| {
                conditional_sum(f, &preds, at, way, other).map(|s| (on_then, s))
            })
        else {
            continue;
        };
        let mut new = Vec::new();
        let cond = match f.block(at).term {
            Term::Branch { cond, .. } => cond,
            Term::BranchCmp { op, a, b, .. } => {
                let dst = f.new_value(Type::Bool);
                new.push(Inst::Cmp { dst, op, a, b });
                dst
            }
            _ => unreachable!("a branch"),
        };
        let zero = f.new_value(Type::I64);
        new.push(Inst::Const {
            dst: zero,
            value: 0,
        });
        let amount = f.new_value(Type::I64);
        let (a, b) = if sum_on_then {
            (sum.x, zero)
        } else {
            (zero, sum.x)
        };
        new.push(Inst::Select {
            dst: amount,
            cond,
            a,
            b,
        });
        let data = f.block_mut(at);
        data.insts.extend(new);
        data.term = Term::Checked {
            op: sum.op,
            a: sum.v,
            b: amount,
            ok: sum.ok,
            fail: sum.fail,
        };
        changed = true;
    }
    changed
}

/// A way's checked `v + x` or `v - x`, its success's block and its failure's target.
struct Sum {
    op: CheckedOp,
    v: Value,
    x: Value,
    ok: Block,
    fail: Target,
}

/// The sum `way` makes (see [`convert_conditional_sums`]), when `way` is an empty block
/// entered only from `at`, that ends in `v + x` or `v - x`, whose success jumps on to
/// where `other` goes with the same arguments but the sum where `other` passes `v`.
fn conditional_sum(
    f: &Function,
    preds: &Predecessors,
    at: Block,
    way: &Target,
    other: &Target,
) -> Option<Sum> {
    let x_block = f.block(way.block);
    if !way.args.is_empty()
        || !x_block.params.is_empty()
        || !x_block.insts.is_empty()
        || preds.of(way.block) != [at]
    {
        return None;
    }
    let Term::Checked {
        op,
        a,
        b,
        ok,
        ref fail,
    } = x_block.term
    else {
        return None;
    };
    let d = f.block(ok);
    let Term::Jump(join) = &d.term else {
        return None;
    };
    if !d.insts.is_empty() || preds.of(ok) != [way.block] || join.block != other.block {
        return None;
    }
    let r = d.params[0];
    // Which operand is `v`: the one `other` passes where the sum is passed.
    let passes_v = |v: Value| {
        join.args.len() == other.args.len()
            && join.args.contains(&r)
            && join
                .args
                .iter()
                .zip(&other.args)
                .all(|(&j, &o)| if j == r { o == v } else { j == o })
    };
    let (v, x) = match op {
        CheckedOp::Add if passes_v(a) => (a, b),
        CheckedOp::Add if passes_v(b) => (b, a),
        CheckedOp::Sub if passes_v(a) => (a, b),
        _ => return None,
    };
    Some(Sum {
        op,
        v,
        x,
        ok,
        fail: fail.clone(),
    })
}
