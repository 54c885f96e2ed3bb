//! Every operation, with its operands in every place the allocator can put them (registers,
//! immediates of each width, the stack, both operands the same value), compiled and compared
//! with the reference interpreter over edge values.

mod common;

use common::{EdgeValues, Rng};
use jit::*;

const EDGES: [i64; 22] = [
    0,
    1,
    -1,
    2,
    -2,
    3,
    7,
    -7,
    63,
    64,
    65,
    -64,
    127,
    -128,
    1 << 31,
    -(1 << 31),
    u32::MAX as i64,
    1 << 40,
    i64::MAX,
    i64::MIN,
    i64::MIN + 1,
    i64::MAX - 1,
];

#[derive(Clone, Copy, Debug)]
enum Op {
    Bin(BinOp),
    Checked(CheckedOp),
    Cmp(Cmp),
    /// A comparison deciding a branch (a compare-and-branch once optimized).
    CmpBranch(Cmp),
    Neg,
    Not,
    Select,
}

fn all_ops() -> Vec<Op> {
    let mut v: Vec<Op> = BinOp::ALL.iter().map(|&o| Op::Bin(o)).collect();
    v.extend(CheckedOp::ALL.iter().map(|&o| Op::Checked(o)));
    v.extend(Cmp::ALL.iter().map(|&o| Op::Cmp(o)));
    v.extend(Cmp::ALL.iter().map(|&o| Op::CmpBranch(o)));
    v.extend([Op::Neg, Op::Not, Op::Select]);
    v
}

/// Emits `op(a, b)` as an i64 (comparisons as 0/1; failed checks return a sentinel).
fn emit(b: &mut FunctionBuilder, op: Op, x: Value, y: Value) -> Value {
    match op {
        Op::Bin(o) => b.binary(o, x, y),
        Op::Cmp(o) => {
            let c = b.cmp(o, x, y);
            let (one, zero) = (b.iconst(1), b.iconst(0));
            b.select(c, one, zero)
        }
        Op::CmpBranch(o) => {
            let c = b.cmp(o, x, y);
            let join = b.create_block();
            let r = b.append_block_param(join, Type::I64);
            let (one, zero) = (b.iconst(1), b.iconst(0));
            b.branch(c, join, &[one], join, &[zero]);
            b.switch_to(join);
            r
        }
        Op::Neg => b.unary(UnOp::Neg, x),
        Op::Not => b.unary(UnOp::Not, x),
        Op::Select => {
            let z = b.iconst(0);
            let c = b.cmp(Cmp::Lt, x, z);
            b.select(c, x, y)
        }
        Op::Checked(o) => {
            let fail = b.create_block();
            let here = b.current_block();
            b.switch_to(fail);
            let s = b.iconst(0x5eed_f00d);
            b.ret(s);
            b.switch_to(here);
            b.checked(o, x, y, fail, &[])
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// f(a, b) = op(a, b): both in registers.
    Regs,
    /// f(a) = op(a, K).
    ConstRight(i64),
    /// f(b) = op(K, b).
    ConstLeft(i64),
    /// f(a) = op(a, a).
    Same,
    /// Sixteen values live across the operation: operands and results spill.
    Pressure,
    /// The operation between two calls: operands live across a call (callee-saved or stack).
    AcrossCall,
}

extern "C" fn identity(x: i64) -> i64 {
    x
}

fn build(op: Op, shape: Shape) -> (Module, usize) {
    use Type::I64;
    let mut m = Module::new();
    // SAFETY: identity is an extern "C" fn(i64) -> i64.
    let id = unsafe {
        m.add_host(
            "identity",
            Signature {
                params: vec![I64],
                ret: I64,
            },
            identity as *const () as usize,
        )
    };
    let nparams = match shape {
        Shape::Regs | Shape::Pressure | Shape::AcrossCall => 2,
        _ => 1,
    };
    let mut b = FunctionBuilder::new("f", &vec![I64; nparams], I64);
    let r = match shape {
        Shape::Regs => {
            let (x, y) = (b.param(0), b.param(1));
            emit(&mut b, op, x, y)
        }
        Shape::ConstRight(k) => {
            let (x, y) = (b.param(0), b.iconst(k));
            emit(&mut b, op, x, y)
        }
        Shape::ConstLeft(k) => {
            let (x, y) = (b.iconst(k), b.param(0));
            emit(&mut b, op, x, y)
        }
        Shape::Same => {
            let x = b.param(0);
            emit(&mut b, op, x, x)
        }
        Shape::Pressure => {
            let (x, y) = (b.param(0), b.param(1));
            let live: Vec<Value> = (1..=16)
                .map(|k| {
                    let c = b.iconst(k * 0x1_0001);
                    b.binary(BinOp::Xor, x, c)
                })
                .collect();
            let r = emit(&mut b, op, x, y);
            let mut acc = r;
            for v in live {
                acc = b.binary(BinOp::Add, acc, v);
            }
            let acc = b.binary(BinOp::Xor, acc, x);
            b.binary(BinOp::Sub, acc, y)
        }
        Shape::AcrossCall => {
            let (x, y) = (b.param(0), b.param(1));
            let x2 = b.call_host(id, I64, &[x]);
            let r = emit(&mut b, op, x2, y);
            let back = b.call_host(id, I64, &[r]);
            let t = b.binary(BinOp::Xor, back, x);
            b.binary(BinOp::Add, t, y)
        }
    };
    b.ret(r);
    m.add(b.finish().unwrap());
    (m, nparams)
}

#[test]
fn every_operation_in_every_operand_shape() {
    let mut rng = Rng(77);
    let mut shapes = vec![Shape::Regs, Shape::Same, Shape::Pressure, Shape::AcrossCall];
    for &k in &EDGES {
        shapes.push(Shape::ConstRight(k));
        shapes.push(Shape::ConstLeft(k));
    }
    let mut cases = 0;
    for op in all_ops() {
        for &shape in &shapes {
            let (m, n) = build(op, shape);
            jit::verify::verify_module(&m).unwrap();
            // Unoptimized: every shape reaches the emitter as built. Optimized: constant
            // operands are folded or strength-reduced (x // 2^k → sar, x % 2^k → and).
            for optimize in [false, true] {
                let j = JitModule::with_options(
                    &m,
                    Options {
                        optimize,
                        ..Options::default()
                    },
                )
                .unwrap();
                let f = j.get("f").unwrap();
                let mut inputs: Vec<Vec<i64>> = Vec::new();
                for &a in &EDGES {
                    for &b in EDGES.iter().step_by(if n == 1 { 22 } else { 1 }) {
                        inputs.push(if n == 1 { vec![a] } else { vec![a, b] });
                    }
                }
                for _ in 0..20 {
                    inputs.push((0..n).map(|_| rng.edge_value()).collect());
                }
                for args in &inputs {
                    let want = jit::interp::run(&m, FuncId(0), args, 1000).unwrap();
                    assert_eq!(
                        f.call(args),
                        want,
                        "{op:?} {shape:?} {args:?} optimize={optimize}"
                    );
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 40_000, "{cases} cases");
}

#[test]
fn checked_operations_fail_exactly_where_python_and_c_say() {
    // The interpreter's CheckedOp::eval is the oracle above; pin its edges to the languages.
    assert_eq!(CheckedOp::DivF.eval(-7, 2), Some(-4)); // Python: -7 // 2 == -4
    assert_eq!(CheckedOp::ModF.eval(-7, 2), Some(1)); // -7 % 2 == 1
    assert_eq!(CheckedOp::ModF.eval(7, -2), Some(-1));
    assert_eq!(CheckedOp::DivT.eval(-7, 2), Some(-3)); // C: -7 / 2 == -3
    assert_eq!(CheckedOp::RemT.eval(-7, 2), Some(-1));
    assert_eq!(CheckedOp::DivF.eval(i64::MIN, -1), None);
    assert_eq!(CheckedOp::ModF.eval(i64::MIN, -1), Some(0));
    assert_eq!(CheckedOp::DivT.eval(1, 0), None);
    assert_eq!(CheckedOp::Shl.eval(1, 62), Some(1 << 62));
    assert_eq!(CheckedOp::Shl.eval(1, 63), None); // sign lost
    assert_eq!(CheckedOp::Shl.eval(-1, 63), Some(i64::MIN));
    assert_eq!(CheckedOp::Shl.eval(1, -1), None);
    assert_eq!(CheckedOp::Sar.eval(-5, 100), Some(-1)); // Python: -5 >> 100 == -1
    assert_eq!(CheckedOp::Sar.eval(5, -1), None);
}

#[test]
fn many_arguments_go_through_the_stack() {
    use Type::I64;
    // f(a0..a9) = Σ (i+1)·a_i, and g calls f with ten arguments (four on the stack).
    let mut m = Module::new();
    let f_id = m.declare(
        "f",
        Signature {
            params: vec![I64; 10],
            ret: I64,
        },
    );
    let mut b = FunctionBuilder::new("f", &[I64; 10], I64);
    let mut acc = b.iconst(0);
    for i in 0..10 {
        let k = b.iconst(i as i64 + 1);
        let p = b.param(i);
        let t = b.mul(p, k);
        acc = b.add(acc, t);
    }
    b.ret(acc);
    m.define(f_id, b.finish().unwrap()).unwrap();
    let mut b = FunctionBuilder::new("g", &[I64], I64);
    let x = b.param(0);
    let args: Vec<Value> = (0..10)
        .map(|i| {
            let k = b.iconst(i);
            b.add(x, k)
        })
        .collect();
    let r = b.call(f_id, I64, &args);
    b.ret(r);
    m.add(b.finish().unwrap());
    let j = JitModule::new(&m).unwrap();
    let expected = |x: i64| (0..10).map(|i| (i + 1) * (x + i)).sum::<i64>();
    assert_eq!(j.get("g").unwrap().call(&[5]), expected(5));
}

/// Floor and truncating division and remainder by a constant (a multiply by a magic number,
/// no idiv) against the reference interpreter: divisors of every size and sign, powers of
/// two and their neighbours, each over edge and random dividends, optimized or not.
#[test]
fn division_by_a_constant_agrees_with_the_interpreter() {
    let mut rng = Rng(2026);
    let mut divisors: Vec<i64> = vec![2, 3, 5, 6, 7, 10, 11, 25, 100, 641, 1000, 1_000_000_007];
    for k in 1..63 {
        let p = 1i64 << k;
        divisors.extend([p - 1, p, p + 1, -(p - 1), -p, -(p + 1)]);
    }
    divisors.extend([
        i64::MAX,
        i64::MAX - 1,
        i64::MIN + 1,
        i64::MIN + 2,
        -2,
        -3,
        -7,
        -10,
    ]);
    for _ in 0..40 {
        divisors.push(rng.edge_value());
    }
    divisors.retain(|&d| !matches!(d, 0 | -1 | i64::MIN));
    let mut dividends: Vec<i64> = EDGES.to_vec();
    for _ in 0..60 {
        dividends.push(rng.edge_value());
    }
    let ops = [
        CheckedOp::DivT,
        CheckedOp::RemT,
        CheckedOp::DivF,
        CheckedOp::ModF,
    ];
    for op in ops {
        for &d in &divisors {
            let (m, _) = build(Op::Checked(op), Shape::ConstRight(d));
            for optimize in [false, true] {
                let j = JitModule::with_options(
                    &m,
                    Options {
                        optimize,
                        ..Options::default()
                    },
                )
                .unwrap();
                let f = j.get("f").unwrap();
                for &n in &dividends {
                    assert_eq!(
                        f.call(&[n]),
                        op.eval(n, d).unwrap_or(0x5eed_f00d),
                        "{op:?} {n} by {d} optimize={optimize}"
                    );
                }
            }
        }
    }
}

/// A remainder by a constant computed straight into its destination register: with the
/// dividend read again after it (its register must survive) and not (the destination may
/// be the dividend's own register), against the reference interpreter.
#[test]
fn remainders_by_a_constant_land_in_their_destination() {
    let divisors = [1i64, 2, 3, -3, 7, 10, -10, 1 << 20, -(1 << 33), i64::MAX];
    for op in ["srem", "floormod"] {
        for d in divisors {
            let src = format!(
                "
fn live(i64) -> i64 {{
block0(v0: i64):
    v1 = iconst {d}
    {op} v0, v1 -> block1, else block2
block1(v2: i64):
    v3 = iconst 1000003
    v4 = mul v2, v3
    v5 = xor v4, v0
    ret v5
block2:
    v6 = iconst -1
    ret v6
}}

fn dead(i64, i64) -> i64 {{
block0(v0: i64, v1: i64):
    v2 = iconst {d}
    {op} v0, v2 -> block1, else block2
block1(v3: i64):
    v4 = mul v3, v1
    ret v4
block2:
    v5 = iconst -1
    ret v5
}}
"
            );
            let m = jit::text::parse_module(&src).unwrap();
            let j = JitModule::new(&m).unwrap();
            for (name, args) in [("live", 1usize), ("dead", 2)] {
                let f = j.get(name).unwrap();
                let id = m.func_id(name).unwrap();
                for &n in EDGES.iter().chain(&[3, -3, 12345, -12345, 1 << 40]) {
                    let a = [n, 0x9e37_79b9][..args].to_vec();
                    let want = jit::interp::run(&m, id, &a, 1 << 10).unwrap();
                    assert_eq!(f.call(&a), want, "{name}: {op} {n} by {d}");
                }
            }
            // Into the destination: the scratch register the other way ends in is unused.
            let live = &j.code().functions[m.func_id("live").unwrap().0 as usize].code;
            let text = jit::disasm::instructions(live);
            assert!(
                d == 1 || !text.iter().any(|i| i.contains("r11")),
                "{op} by {d}: {text:#?}"
            );
        }
    }
}
