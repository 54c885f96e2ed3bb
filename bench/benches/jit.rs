//! `cargo xtask bench jit`: compile speed (IR in → callable pointer out) and code quality
//! against gcc -O2, side by side in one process.

use freestand_bench::synthetic::synthetic;
use freestand_bench::{c_ack, c_fib, c_mod_sum, c_sum_to, c_tak, machine_line, median_time};
use jit::*;
use std::hint::black_box;
use std::time::Instant;

fn compile_speed(optimize: bool, verify: bool) {
    let tier = match (optimize, verify) {
        (true, true) => "optimizing",
        (true, false) => "optimizing, no verifier (minipy's release JIT)",
        (false, true) => "baseline (no passes)",
        (false, false) => "baseline (no passes), no verifier",
    };
    println!(
        "\n| compile speed, {tier} (IR in → callable out) | functions | IR ops each | machine instructions | ns / machine instruction | functions / s |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, count, ops) in [
        ("small, one module", 2000usize, 10usize),
        ("small, one module each", 300, 10),
        ("large, one module", 40, 1000),
    ] {
        let modules: Vec<Module> = if label.ends_with("each") {
            (0..count)
                .map(|i| {
                    let mut m = Module::new();
                    m.add(synthetic(&format!("f{i}"), ops, i as u64));
                    m
                })
                .collect()
        } else {
            let mut m = Module::new();
            for i in 0..count {
                m.add(synthetic(&format!("f{i}"), ops, i as u64));
            }
            vec![m]
        };
        let mut instructions = 0usize;
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let mut n = 0;
            for m in &modules {
                let j = JitModule::with_options(
                    m,
                    Options {
                        optimize,
                        verify,
                        ..Options::default()
                    },
                )
                .unwrap();
                n += j
                    .code()
                    .functions
                    .iter()
                    .map(|f| f.instructions)
                    .sum::<usize>();
                black_box(j.get("f0").map(|f| f.addr()));
            }
            best = best.min(t.elapsed().as_secs_f64());
            instructions = n;
        }
        println!(
            "| {label} | {count} | ~{ops} | {instructions} | {:.0} | {:.0} |",
            best * 1e9 / instructions as f64,
            count as f64 / best
        );
    }
}

fn sum_to_ir() -> Module {
    // s = 0; for i in 1..=n: s += i
    let mut b = FunctionBuilder::new("sum_to", &[Type::I64], Type::I64);
    let n = b.param(0);
    let (head, body, exit) = (b.create_block(), b.create_block(), b.create_block());
    let (zero, one) = (b.iconst(0), b.iconst(1));
    b.jump(head, &[zero, one]);
    b.switch_to(head);
    let (s, i) = (
        b.append_block_param(head, Type::I64),
        b.append_block_param(head, Type::I64),
    );
    let done = b.cmp(Cmp::Gt, i, n);
    b.branch(done, exit, &[], body, &[]);
    b.switch_to(body);
    let s2 = b.add(s, i);
    let one = b.iconst(1);
    let i2 = b.add(i, one);
    b.jump(head, &[s2, i2]);
    b.switch_to(exit);
    b.ret(s);
    let mut m = Module::new();
    m.add(b.finish().unwrap());
    m
}

fn fib_ir() -> Module {
    let mut m = Module::new();
    let id = m.declare(
        "fib",
        Signature {
            params: vec![Type::I64],
            ret: Type::I64,
        },
    );
    let mut b = FunctionBuilder::new("fib", &[Type::I64], Type::I64);
    let n = b.param(0);
    let (base, rec) = (b.create_block(), b.create_block());
    let two = b.iconst(2);
    let small = b.cmp(Cmp::Lt, n, two);
    b.branch(small, base, &[], rec, &[]);
    b.switch_to(base);
    b.ret(n);
    b.switch_to(rec);
    let one = b.iconst(1);
    let n1 = b.sub(n, one);
    let a = b.call(id, Type::I64, &[n1]);
    let two = b.iconst(2);
    let n2 = b.sub(n, two);
    let c = b.call(id, Type::I64, &[n2]);
    let r = b.add(a, c);
    b.ret(r);
    m.define(id, b.finish().unwrap()).unwrap();
    m
}

/// Takeuchi's function: three recursive calls whose results are the arguments of a fourth.
const TAK: &str = include_str!("../../jit/tests/kernels/tak.ir");

/// Ackermann's function: deep recursion, a call's result as an argument.
const ACK: &str = "fn ack(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst 0
    v3 = eq v0, v2
    br v3, block1, block2
block1:
    v4 = iconst 1
    v5 = add v1, v4
    ret v5
block2:
    v6 = eq v1, v2
    v7 = iconst 1
    v8 = sub v0, v7
    br v6, block3, block4
block3:
    v9 = call ack(v8, v7)
    ret v9
block4:
    v10 = sub v1, v7
    v11 = call ack(v0, v10)
    v12 = call ack(v8, v11)
    ret v12
}";

/// `total += i % 3` for i in 0..n: a modulo by a constant (floor modulo, as Python's).
const MOD_SUM: &str = include_str!("../../jit/tests/kernels/mod_sum.ir");

fn code_quality() {
    println!("\n| kernel | JIT (ms, median of 7) | gcc -O2 (ms) | JIT / gcc |");
    println!("|---|---:|---:|---:|");
    versus_gcc(&sum_to_ir(), "sum_to", &[300_000_000], &|a| unsafe {
        c_sum_to(a[0])
    });
    versus_gcc(&fib_ir(), "fib", &[32], &|a| unsafe { c_fib(a[0]) });
    let parse = |src| jit::text::parse_module(src).expect("a kernel parses");
    versus_gcc(&parse(TAK), "tak", &[26, 18, 9], &|a| unsafe {
        c_tak(a[0], a[1], a[2])
    });
    versus_gcc(&parse(ACK), "ack", &[3, 8], &|a| unsafe {
        c_ack(a[0], a[1])
    });
    versus_gcc(&parse(MOD_SUM), "mod_sum", &[100_000_000], &|a| unsafe {
        c_mod_sum(a[0])
    });
}

/// One table row: `name(args)` compiled from `m` against the same kernel from gcc -O2.
fn versus_gcc(m: &Module, name: &str, args: &[i64], peer: &dyn Fn(&[i64]) -> i64) {
    let j = JitModule::new(m).unwrap();
    let f = j.get(name).unwrap();
    assert_eq!(f.call(args), peer(args), "{name}");
    let tj = median_time(7, || {
        black_box(f.call(black_box(args)));
    });
    let tc = median_time(7, || {
        black_box(peer(black_box(args)));
    });
    let shown: Vec<String> = args.iter().map(i64::to_string).collect();
    println!(
        "| {name}({}) | {:.1} | {:.1} | {:.2} |",
        shown.join(", "),
        tj.as_secs_f64() * 1e3,
        tc.as_secs_f64() * 1e3,
        tj.as_secs_f64() / tc.as_secs_f64()
    );
}

fn main() {
    println!("cargo xtask bench jit  ({})", machine_line());
    compile_speed(true, true);
    compile_speed(true, false);
    compile_speed(false, true);
    compile_speed(false, false);
    code_quality();
}
