//! The IR's front door: the verifier's errors, the parser's errors, the passes' effects,
//! the allocator's choices and W^X in a real process.

use jit::passes;
use jit::text::{FunctionDisplay, parse_module};
use jit::*;

fn verify_err(src: &str) -> String {
    let m = parse_module(src).unwrap_or_else(|e| panic!("parse: {e}"));
    match jit::verify::verify_module(&m) {
        Ok(()) => panic!("verified:\n{src}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn verifier_rejects_malformed_ir_with_a_clear_error() {
    let cases = [
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = add v0, v2\n    ret v1\n}",
            "f: block0, instruction 0 (v1 = add v0, v2): v2 is never defined",
        ),
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 0\n    br_lt v0, v1, block1, block2\nblock1:\n    v2 = iconst 1\n    jump block3\nblock2:\n    jump block3\nblock3:\n    ret v2\n}",
            "f: block3, terminator: v2 is used where its definition (in block1) does not reach on every path",
        ),
        (
            "fn f(i64) -> bool {\nblock0(v0: i64):\n    ret v0\n}",
            "f: block0, terminator: return: v0 is i64, expected bool",
        ),
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    jump block1(v0)\nblock1:\n    ret v0\n}",
            "f: block0, terminator: block1 takes 0 arguments, given 1",
        ),
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = lt v0, v0\n    v2 = add v1, v0\n    ret v2\n}",
            "f: block0, instruction 1 (v2 = add v1, v0): v1 is bool, expected i64",
        ),
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    add.ovf v0, v0 -> block1, else block1\nblock1:\n    ret v0\n}",
            "f: block0, terminator: the ok block block1 must have exactly one i64 parameter",
        ),
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    jump block0(v0)\n}",
            "f: block0, terminator: jumps to the entry block (it has no predecessors)",
        ),
        (
            "fn g(i64) -> i64 {\nblock0(v0: i64):\n    ret v0\n}\nfn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = call g(v0, v0)\n    ret v1\n}",
            "f: block0, instruction 0 (v1 = call g(v0, v0)): call g takes 1 arguments, given 2",
        ),
        (
            "fn f(i64) -> i64 {\nblock0(v0: i64):\n    jump block7\n}",
            "f: block0, terminator: jumps to missing block7",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(verify_err(src), want);
    }
    // Nothing is ever compiled from IR that fails.
    let m = parse_module("fn f(i64) -> i64 {\nblock0(v0: i64):\n    ret v9\n}").unwrap();
    assert!(JitModule::new(&m).is_err());
    // A builder block left open is reported too.
    let mut b = FunctionBuilder::new("open", &[], Type::I64);
    let blk = b.create_block();
    let z = b.iconst(0);
    b.jump(blk, &[]);
    let _ = z;
    assert_eq!(
        b.finish().unwrap_err().to_string(),
        "open: block1 has no terminator"
    );
}

#[test]
fn parser_errors_name_line_and_column() {
    let e = |src: &str| parse_module(src).unwrap_err().to_string();
    assert_eq!(
        e("fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = frob v0\n    ret v1\n}"),
        "f: line 3, column 10: unknown instruction `frob`, found `frob`"
    );
    assert_eq!(
        e("fn f(i64 -> i64 {}"),
        "line 1, column 10: expected `,`, found `->`"
    );
    assert_eq!(
        e("fn f() -> i64 {\nblock0:\n    v0 = iconst 99999999999999999999\n}"),
        "line 3, column 17: integer `99999999999999999999` does not fit in i64"
    );
    assert_eq!(
        e("fn f() -> i64 {\nblock0:\n    v0 = iconst 1\n}"),
        "f: line 4, column 1: block0 has no terminator, found `}`"
    );
    assert_eq!(
        e("fn f() -> i64 {\nblock1:\n    v0 = iconst 1\n    ret v0\n}"),
        "f: block0 is missing (blocks are numbered from 0 without gaps)"
    );
    assert_eq!(
        e("fn f() -> i64 {\nblock0:\n    v0 = call nope()\n    ret v0\n}"),
        "f: line 3, column 19: no function named `nope`, found `(`"
    );
    assert_eq!(
        e("fn f() -> i64 {\nblock0:\n    ret v0 @\n}"),
        "line 3, column 12: unexpected character `@`"
    );
}

fn optimized(src: &str) -> String {
    let mut m = parse_module(src).unwrap();
    let id = m.func_id("f").unwrap();
    passes::optimize(m.function_mut(id).unwrap());
    jit::verify::verify_module(&m).unwrap();
    FunctionDisplay(m.function(id).unwrap(), &m).to_string()
}

#[test]
fn passes_fold_propagate_eliminate_and_fuse() {
    // Constant folding through a checked op and a branch; DCE of the dead arm and values.
    let out = optimized(
        "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 6\n    v2 = iconst 7\n    mul.ovf v1, v2 -> block1, else block2\nblock1(v3: i64):\n    v4 = iconst 40\n    v5 = gt v3, v4\n    br v5, block3, block2\nblock2:\n    v6 = iconst -1\n    ret v6\nblock3:\n    v7 = add v0, v3\n    ret v7\n}",
    );
    assert_eq!(
        out,
        "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v9 = iconst 42\n    v7 = add v0, v9\n    ret v7\n}\n"
    );
    // Identities and copy propagation: (x + 0) * 1 ^ 0 is x.
    let out = optimized(
        "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 0\n    v2 = iconst 1\n    v3 = add v0, v1\n    v4 = mul v3, v2\n    v5 = xor v4, v1\n    v6 = copy v5\n    ret v6\n}",
    );
    assert_eq!(out, "fn f(i64) -> i64 {\nblock0(v0: i64):\n    ret v0\n}\n");
    // Compare-and-branch fusion; block parameters that always get the same value (v3) or
    // none that is used (v4) disappear with their arguments.
    let out = optimized(
        "fn f(i64, i64) -> i64 {\nblock0(v0: i64, v1: i64):\n    v2 = lt v0, v1\n    br v2, block1(v0, v1), block2\nblock1(v3: i64, v4: i64):\n    ret v3\nblock2:\n    ret v1\n}",
    );
    assert_eq!(
        out,
        "fn f(i64, i64) -> i64 {\nblock0(v0: i64, v1: i64):\n    br_lt v0, v1, block1, block2\nblock1:\n    ret v0\nblock2:\n    ret v1\n}\n"
    );
    // A comparison used twice stays materialised.
    let out = optimized(
        "fn f(i64) -> bool {\nblock0(v0: i64):\n    v1 = lt v0, v0\n    v2 = le v0, v0\n    v3 = eq v1, v2\n    br v3, block1, block2\nblock1:\n    ret v3\nblock2:\n    ret v1\n}",
    );
    assert!(out.contains("bconst"), "{out}");
}

#[test]
fn allocator_spills_under_pressure_and_keeps_values_across_calls_safe() {
    use jit::regalloc::{CALLEE_SAVED, Loc, allocate};
    extern "C" fn h(x: i64) -> i64 {
        x + 1
    }
    let mut m = Module::new();
    let host = unsafe {
        m.add_host(
            "h",
            Signature {
                params: vec![Type::I64],
                ret: Type::I64,
            },
            h as *const () as usize,
        )
    };
    let mut b = FunctionBuilder::new("f", &[Type::I64], Type::I64);
    let x = b.param(0);
    let vals: Vec<Value> = (1..=14)
        .map(|k| {
            let c = b.iconst(k);
            b.mul(x, c)
        })
        .collect();
    let r = b.call_host(host, Type::I64, &[x]);
    let mut acc = r;
    for &v in &vals {
        acc = b.add(acc, v);
    }
    b.ret(acc);
    let f = b.finish().unwrap();
    let a = allocate(&f);
    assert!(
        a.slots > 0,
        "14 values live across a call cannot all stay in 5 callee-saved registers"
    );
    for &v in &vals {
        match a.locs[v.index()] {
            Loc::Reg(r) => assert!(
                CALLEE_SAVED.contains(&r),
                "{v} lives across the call in caller-saved {r:?}"
            ),
            Loc::Stack(_) => {}
            other => panic!("{v}: {other:?}"),
        }
    }
    m.add(f);
    let j = JitModule::new(&m).unwrap();
    assert_eq!(
        j.get("f").unwrap().call(&[3]),
        4 + 3 * (1..=14).sum::<i64>()
    );
}

/// The protection string (e.g. "r-xp") of the mapping containing `addr`, from /proc/self/maps.
fn maps_perms(addr: usize) -> String {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    for line in maps.lines() {
        let (range, rest) = line.split_once(' ').unwrap();
        let (lo, hi) = range.split_once('-').unwrap();
        let (lo, hi) = (
            usize::from_str_radix(lo, 16).unwrap(),
            usize::from_str_radix(hi, 16).unwrap(),
        );
        if (lo..hi).contains(&addr) {
            return rest[..4].to_string();
        }
    }
    panic!("{addr:#x} is not mapped")
}

fn no_rwx_anywhere() {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    for line in maps.lines() {
        let perms = line.split_whitespace().nth(1).unwrap();
        assert!(!perms.starts_with("rwx"), "writable and executable: {line}");
    }
}

#[test]
fn code_pages_are_never_writable_and_executable() {
    let mut region = jit::memory::CodeRegion::new(64 * 1024).unwrap();
    no_rwx_anywhere();
    assert_eq!(maps_perms(region.base()), "---p", "reserved, inaccessible");
    // "During compilation": between planning and writing, pages are RW at most.
    let ret = [0xB8, 42, 0, 0, 0, 0xC3]; // mov eax, 42; ret
    let addrs = region
        .write_with(&[ret.to_vec()], |_, at, _| {
            no_rwx_anywhere();
            let _ = at;
        })
        .unwrap();
    assert_eq!(maps_perms(addrs[0]), "r-xp");
    no_rwx_anywhere();
    let f: extern "C" fn() -> i64 = unsafe { std::mem::transmute(addrs[0]) };
    assert_eq!(f(), 42);
    // After a full JIT compile and load, the same.
    let m = parse_module("fn f(i64) -> i64 {\nblock0(v0: i64):\n    ret v0\n}").unwrap();
    let j = JitModule::new(&m).unwrap();
    assert_eq!(maps_perms(j.get("f").unwrap().addr()), "r-xp");
    no_rwx_anywhere();
    // Unused space in the page is int3.
    let page = j.region().base();
    let bytes = unsafe { std::slice::from_raw_parts(page as *const u8, 4096) };
    let used = j.code().functions[0].code.len();
    assert!(bytes[used..].iter().all(|&b| b == 0xCC));
}

#[test]
fn tail_recursion_with_an_accumulator_becomes_a_loop() {
    let src = "fn fib(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 2\n    br_lt v0, v1, block1, block2\nblock1:\n    ret v0\nblock2:\n    v2 = iconst 1\n    v3 = sub v0, v2\n    v4 = call fib(v3)\n    v5 = iconst 2\n    v6 = sub v0, v5\n    v7 = call fib(v6)\n    v8 = add v4, v7\n    ret v8\n}\nfn fact(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 1\n    br_le v0, v1, block1, block2\nblock1:\n    ret v1\nblock2:\n    v2 = sub v0, v1\n    v3 = call fact(v2)\n    v4 = mul v0, v3\n    ret v4\n}\n";
    let m = parse_module(src).unwrap();
    let mut t = m.clone();
    for name in ["fib", "fact"] {
        let id = t.func_id(name).unwrap();
        assert!(passes::eliminate_tail_recursion(
            t.function_mut(id).unwrap(),
            id
        ));
    }
    jit::verify::verify_module(&t).unwrap();
    let fact = FunctionDisplay(t.function(t.func_id("fact").unwrap()).unwrap(), &t).to_string();
    assert!(
        !fact.contains("call"),
        "factorial needs no call at all:\n{fact}"
    );
    let fib = FunctionDisplay(t.function(t.func_id("fib").unwrap()).unwrap(), &t).to_string();
    assert_eq!(
        fib.matches("call").count(),
        1,
        "one call per level left:\n{fib}"
    );
    let j = JitModule::new(&m).unwrap();
    for n in 0..25 {
        let want = jit::interp::run(&m, m.func_id("fib").unwrap(), &[n], 1 << 30).unwrap();
        assert_eq!(j.get("fib").unwrap().call(&[n]), want);
        assert_eq!(
            jit::interp::run(&t, t.func_id("fib").unwrap(), &[n], 1 << 30),
            Ok(want)
        );
    }
    assert_eq!(j.get("fact").unwrap().call(&[20]), 2432902008176640000);
    assert_eq!(
        j.get("fact").unwrap().call(&[25]),
        (1..=25i64).fold(1i64, |a, b| a.wrapping_mul(b)),
        "wrapping, as the IR's mul"
    );
    if std::env::var_os("JIT_DUMP").is_some() {
        println!(
            "{fib}\n{}",
            jit::disasm::disassemble(&j.code().functions[0].code, 0)
        );
    }
}

#[test]
fn guarded_increments_lose_their_overflow_check() {
    // In a counted loop `i + 1` after `i < n` cannot overflow: plain add, no failure path.
    let src = "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 0\n    jump block1(v1, v1)\nblock1(v2: i64, v3: i64):\n    v4 = lt v2, v0\n    br v4, block2, block5\nblock2:\n    v5 = iconst 1\n    add.ovf v2, v5 -> block3, else block4\nblock3(v6: i64):\n    v7 = add v3, v2\n    jump block1(v6, v7)\nblock4:\n    v8 = iconst -1\n    ret v8\nblock5:\n    ret v3\n}";
    let out = optimized(src);
    assert!(!out.contains(".ovf"), "the check stays:\n{out}");
    // Counting down after `i > n` likewise; counting up after `i > n` keeps its check, and so
    // does `i + 2` (i < n does not bound i + 2).
    let down = src
        .replace("lt v2, v0", "gt v2, v0")
        .replace("iconst 1\n    add.ovf", "iconst -1\n    add.ovf");
    assert!(!optimized(&down).contains(".ovf"));
    let wrong_way = src.replace("lt v2, v0", "gt v2, v0");
    assert!(optimized(&wrong_way).contains("add.ovf"));
    let by_two = src.replace("v5 = iconst 1", "v5 = iconst 2");
    assert!(optimized(&by_two).contains("add.ovf"));
    // The guarded form still computes the same sums.
    let m = parse_module(src).unwrap();
    let opt = JitModule::new(&m).unwrap();
    let f = opt.function(m.func_id("f").unwrap());
    for n in [0i64, 1, 2, 10, 1000] {
        assert_eq!(f.call(&[n]), n * (n - 1) / 2, "sum below {n}");
    }
}

#[test]
fn loop_carried_values_nobody_reads_are_dropped() {
    // v3 only travels around the loop (block1 → block2 → block1): dead with its cycle, and
    // the constant and jump arguments feeding it go too.
    let src = "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 0\n    v9 = iconst 7\n    jump block1(v1, v9)\nblock1(v2: i64, v3: i64):\n    v4 = lt v2, v0\n    br v4, block2, block3\nblock2:\n    v5 = iconst 1\n    v6 = add v2, v5\n    jump block1(v6, v3)\nblock3:\n    ret v2\n}";
    let out = optimized(src);
    assert!(
        out.contains("block1(v2: i64):") && !out.contains("iconst 7"),
        "the dead loop-carried parameter stays:\n{out}"
    );
}

#[test]
fn checks_a_constant_bound_rules_out_go_through_a_chain_of_blocks() {
    // if n < 2: return n; else f(n - 1) … f(n - 2): neither subtraction can overflow, the
    // second one two blocks below the test.
    let src = "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 2\n    v2 = lt v0, v1\n    br v2, block1, block2\nblock1:\n    ret v0\nblock2:\n    v3 = iconst 1\n    sub.ovf v0, v3 -> block3, else block5\nblock3(v4: i64):\n    v5 = iconst 2\n    sub.ovf v0, v5 -> block4, else block5\nblock4(v6: i64):\n    v7 = add v4, v6\n    ret v7\nblock5:\n    v8 = iconst -1\n    ret v8\n}";
    let out = optimized(src);
    assert!(!out.contains(".ovf"), "a check stays:\n{out}");
    // A bound too weak for the constant keeps the check: n >= MIN + 1 does not make n - 2 safe.
    let weak = src.replace("v1 = iconst 2", "v1 = iconst -9223372036854775807");
    assert!(
        optimized(&weak).contains("sub.ovf v0, v5"),
        "{}",
        optimized(&weak)
    );
    // Adding after `n < 2` is safe, after `n >= 2` it is not.
    let add = src.replace("sub.ovf", "add.ovf");
    assert!(optimized(&add).contains("add.ovf"));
}

#[test]
fn floor_division_by_a_power_of_two_is_a_shift() {
    let src = "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 8\n    floordiv v0, v1 -> block1, else block3\nblock1(v2: i64):\n    floormod v0, v1 -> block2, else block3\nblock2(v3: i64):\n    v4 = add v2, v3\n    ret v4\nblock3:\n    v5 = iconst -1\n    ret v5\n}";
    let out = optimized(src);
    assert!(
        !out.contains("floordiv") && !out.contains("floormod") && out.contains("sar"),
        "{out}"
    );
    // Python's floor semantics on both signs, compiled.
    let m = parse_module(src).unwrap();
    let j = JitModule::new(&m).unwrap();
    let f = j.function(m.func_id("f").unwrap());
    for x in [0i64, 7, 8, 9, -1, -7, -8, -9, i64::MIN, i64::MAX] {
        assert_eq!(f.call(&[x]), x.div_euclid(8) + x.rem_euclid(8), "x = {x}");
    }
    // Not a power of two (or not positive): the division stays.
    assert!(optimized(&src.replace("iconst 8", "iconst 6")).contains("floordiv"));
    assert!(optimized(&src.replace("iconst 8", "iconst -8")).contains("floordiv"));
}

/// A counted loop `i = i0; s = s0; t = 5; while i CMP n: s = s ACC (i + D); t += x; i += C`
/// returning a mix of `s`, `t` and `i` (or -777 when an operation overflows).
fn counted_loop(cmp: &str, c: i64, d: i64, acc: &str) -> String {
    format!(
        "fn f(i64, i64, i64, i64) -> i64 {{
block0(v0: i64, v1: i64, v2: i64, v3: i64):
    v4 = iconst 5
    jump block1(v0, v2, v4)
block1(v10: i64, v11: i64, v12: i64):
    v13 = {cmp} v10, v1
    br v13, block2, block6
block2:
    v14 = iconst {d}
    add.ovf v10, v14 -> block3, else block7
block3(v15: i64):
    {acc}.ovf v11, v15 -> block4, else block7
block4(v16: i64):
    add.ovf v12, v3 -> block5, else block7
block5(v17: i64):
    v18 = iconst {c}
    add.ovf v10, v18 -> block8, else block7
block8(v19: i64):
    jump block1(v19, v16, v17)
block6:
    v20 = iconst 1000003
    v21 = mul v11, v20
    v22 = add v21, v12
    v23 = mul v22, v20
    v24 = add v23, v10
    ret v24
block7:
    v25 = iconst -777
    ret v25
}}"
    )
}

#[test]
fn counted_loops_that_only_sum_take_their_closed_form() {
    const MAX: i64 = i64::MAX;
    const MIN: i64 = i64::MIN;
    let mut checked = 0;
    for (cmp, c) in [
        ("lt", 1),
        ("lt", 3),
        ("le", 1),
        ("le", 2),
        ("gt", -1),
        ("gt", -4),
        ("ge", -1),
        ("ge", -3),
    ] {
        for d in [Some(0), Some(1), Some(-2), None] {
            for acc in ["add", "sub"] {
                // Terms `i + d`, or `i + x` with `x` from outside the loop.
                let src = match d {
                    Some(d) => counted_loop(cmp, c, d, acc),
                    None => {
                        counted_loop(cmp, c, 0, acc).replace("add.ovf v10, v14", "add.ovf v10, v3")
                    }
                };
                let out = optimized(&src);
                assert!(
                    out.contains("select"),
                    "no closed form for {cmp} {c} {d:?} {acc}:\n{out}"
                );
                let m = parse_module(&src).unwrap();
                let id = m.func_id("f").unwrap();
                let j = JitModule::new(&m).unwrap();
                let f = j.function(id);
                // Counts that run the loop zero, one and many times; sums whose terms keep
                // their sign and sums whose terms change it; totals that overflow at the
                // first, a middle and the last turn, and ones that just fit.
                for i0 in [-7, -1, 0, 1, 5] {
                    for n in [-10, 0, 3, 17, 100] {
                        for s0 in [0, MAX - 3000, MIN + 3000, MAX] {
                            for x in [0, -1, MAX / 40, MIN / 40] {
                                let args = [i0, n, s0, x];
                                let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
                                assert_eq!(
                                    f.call(&args),
                                    want,
                                    "{args:?} on\n{src}\noptimized to\n{out}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 64 * 400);
    // A sum the loop would take 2^32 turns for, in closed form: 0 + 1 + … + (2^32 − 1)
    // just fits (its double does not: T(T−1) is halved before multiplying).
    let m = parse_module(&counted_loop("lt", 1, 0, "add")).unwrap();
    let j = JitModule::new(&m).unwrap();
    let f = j.function(m.func_id("f").unwrap());
    let t: i128 = 1 << 32;
    let s = t * (t - 1) / 2;
    let t5 = 5 + 3 * t;
    let mix = |s: i128, t: i128, i: i128| -> i64 {
        let k = 1_000_003i64;
        ((s as i64).wrapping_mul(k).wrapping_add(t as i64))
            .wrapping_mul(k)
            .wrapping_add(i as i64)
    };
    assert_eq!(f.call(&[0, 1 << 32, 0, 3]), mix(s, t5, t));
    // Loops the closed form does not cover keep their shape: a product, a counter moving
    // away from its bound, a sum of a sum.
    for (what, src) in [
        ("product", counted_loop("lt", 1, 0, "mul")),
        ("away", counted_loop("lt", -1, 0, "add")),
        (
            "sum of a sum",
            counted_loop("lt", 1, 0, "add").replace("add.ovf v12, v3", "add.ovf v12, v11"),
        ),
    ] {
        let out = optimized(&src);
        assert!(!out.contains("select"), "{what}:\n{out}");
    }
}

#[test]
fn a_function_of_thousands_of_blocks_allocates_right() {
    // Big enough (blocks × values past `regalloc`'s limit for live-out lists) for one
    // range per value: a loop of three turns around a chain of 1,500 checked adds, with
    // twenty values from before the loop live to its end (more than there are registers,
    // so some spill) and the loop's own values carried around it.
    chain_of_checked_adds_in_a_loop(1500);
}

#[test]
fn a_function_of_hundreds_of_blocks_allocates_right() {
    // Past the dense dataflow's limit, within the lists': liveness by path exploration,
    // live ranges with holes (in debug builds checked against the dense sets).
    chain_of_checked_adds_in_a_loop(300);
}

fn chain_of_checked_adds_in_a_loop(n: usize) {
    let (latch, fail, exit) = (3 + n, 4 + n, 5 + n);
    let mut src = String::from("fn f(i64, i64) -> i64 {\nblock0(v0: i64, v1: i64):\n");
    for k in 0..20 {
        let (a, b) = (100 + 2 * k, 101 + 2 * k);
        src += &format!("    v{a} = mul v0, v0\n    v{b} = add v{a}, v1\n");
    }
    src += &format!(
        "    v2 = iconst 0\n    jump block1(v2, v0)\nblock1(v3: i64, v4: i64):\n    v5 = iconst 3\n    br_lt v3, v5, block2, block{exit}\nblock2:\n    jump block3(v4)\n"
    );
    for k in 0..n {
        let (b, p) = (3 + k, 1000 + k);
        src += &format!(
            "block{b}(v{p}: i64):\n    add.ovf v{p}, v1 -> block{}, else block{fail}\n",
            b + 1
        );
    }
    src += &format!(
        "block{latch}(v{}: i64):\n    v8 = iconst 1\n    v9 = add v3, v8\n    jump block1(v9, v{})\n",
        1000 + n,
        1000 + n
    );
    src += &format!(
        "block{fail}:\n    v7 = iconst -1\n    ret v7\nblock{exit}:\n    v6 = add v4, v100\n"
    );
    let mut last = 6;
    for k in 0..20 {
        src += &format!("    v{} = xor v{last}, v{}\n", 5000 + k, 101 + 2 * k);
        last = 5000 + k;
    }
    src += &format!("    ret v{last}\n}}\n");
    let m = parse_module(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    let id = m.func_id("f").unwrap();
    let j = JitModule::new(&m).unwrap();
    for args in [[1, 2], [7, -3], [0, 0], [-5, 1 << 40], [3, i64::MAX / 4000]] {
        let want = jit::interp::run(&m, id, &args, 1 << 24).unwrap();
        assert_eq!(j.function(id).call(&args), want, "{args:?}");
    }
}

/// Calls keep their source sites through the pipeline: the text format writes and reads
/// them, inlining makes a callee's sites chains ending at the call, tail-recursion
/// elimination leaves a call with a site alone (its frame is one a traceback shows), and
/// code generation lists every such call with its return address and frame size.
#[test]
fn call_sites_survive_inlining_and_come_out_with_their_frames() {
    let src = "extern fn boom(i64) -> i64\n\
        fn leaf(i64) -> i64 {\nblock0(v0: i64):\n    v1 = call_host boom(v0) site 7\n    v2 = add v1, v0\n    ret v2\n}\n\
        fn mid(i64) -> i64 {\nblock0(v0: i64):\n    v1 = call leaf(v0) site 3\n    v2 = iconst 1\n    v3 = add v1, v2\n    v4 = call many(v3, v3, v3, v3, v3, v3, v3) site 4 in 9\n    ret v4\n}\n\
        fn many(i64, i64, i64, i64, i64, i64, i64) -> i64 {\nblock0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64):\n    v7 = iconst 0\n    v8 = eq v0, v7\n    br v8, block1, block2\nblock1:\n    ret v6\nblock2:\n    v9 = iconst 1\n    v10 = sub v0, v9\n    v11 = call many(v10, v1, v2, v3, v4, v5, v6) site 5\n    v12 = add v11, v1\n    ret v12\n}\n";
    let m = parse_module(src).unwrap_or_else(|e| panic!("parse: {e}"));
    let mid = m.func_id("mid").unwrap();
    let text = FunctionDisplay(m.function(mid).unwrap(), &m).to_string();
    assert!(text.contains("call leaf(v0) site 3\n"), "{text}");
    assert!(text.contains("site 4 in 9\n"), "{text}");
    // Inlining leaf into mid: boom's call is site 7 inside site 3.
    let mut f = m.function(mid).unwrap().clone();
    let snapshot = f.clone();
    assert!(passes::inline::inline_small_calls(
        &mut f, mid, &m, &snapshot
    ));
    let chains: Vec<Vec<u32>> = f
        .sites
        .iter()
        .map(|(_, s)| f.site_chain(s).iter().map(|s| s.0).collect())
        .collect();
    assert!(chains.contains(&vec![7, 3]), "{chains:?}");
    assert!(chains.contains(&vec![4, 9]), "{chains:?}");
    // `return many(…) + v1` would become a loop without its site.
    let many = m.func_id("many").unwrap();
    let mut g = m.function(many).unwrap().clone();
    assert!(!passes::eliminate_tail_recursion(&mut g, many));
    g.sites.clear();
    assert!(passes::eliminate_tail_recursion(&mut g, many));
    // Code generation: each sited call, its return address right after a call
    // instruction, and the frame: the callee-saved pushes, the frame and, at the call of
    // `many` with 7 arguments, the pushed 7th argument and its padding.
    let compiled = compile_module(&m, Options::default()).unwrap();
    for (id, f) in m.functions() {
        let code = &compiled.functions[id.0 as usize];
        let listing = jit::disasm::disassemble(&code.code, 0);
        // (end address, text) of every instruction.
        let ends: Vec<(u32, &str)> = listing
            .lines()
            .map(|l| {
                let mut w = l.split_whitespace();
                let at = u32::from_str_radix(w.next().unwrap(), 16).unwrap();
                let bytes = w.next().unwrap().len() as u32 / 2;
                (at + bytes, w.next().unwrap_or(""))
            })
            .collect();
        assert!(
            !code.call_sites.is_empty() || f.sites.is_empty(),
            "{}",
            f.name
        );
        for cs in &code.call_sites {
            assert!(
                ends.iter().any(|&(end, op)| end == cs.ret && op == "call"),
                "{}: {cs:?}\n{listing}",
                f.name
            );
            assert_eq!(cs.frame % 8, 0, "{cs:?}");
        }
    }
    let many_code = &compiled.functions[many.0 as usize];
    let self_call = many_code
        .call_sites
        .iter()
        .find(|c| c.chain.iter().any(|s| s.0 == 5))
        .unwrap();
    assert!(
        self_call.frame >= 16,
        "7 arguments push one and pad: {self_call:?}"
    );
}

/// The disassembly of function `name` of `m`, compiled with the default options.
fn listing_of(m: &jit::Module, name: &str) -> String {
    let compiled = compile_module(m, Options::default()).unwrap();
    let code = &compiled.functions[m.func_id(name).unwrap().0 as usize];
    jit::disasm::disassemble(&code.code, 0)
}

/// The mnemonics of a listing, in order.
fn mnemonics(listing: &str) -> Vec<&str> {
    listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect()
}

/// A block that cannot reach a return (a failure that calls an exit routine, then spins) is
/// laid out after the rest, unaligned: the hot path falls through past its check and the
/// function's `ret` comes before the failure's call.
#[test]
fn cold_blocks_are_laid_out_last() {
    let src = "extern fn fail(i64) -> i64\n\
        fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 3\n    v5 = lt v0, v1\n    br v5, block2, block1\nblock1:\n    ret v0\nblock2:\n    v3 = iconst 7\n    v4 = call_host fail(v3)\n    jump block2\n}\n";
    let m = parse_module(src).unwrap_or_else(|e| panic!("parse: {e}"));
    let listing = listing_of(&m, "f");
    let ops = mnemonics(&listing);
    let ret = ops.iter().position(|&o| o == "ret").expect("a ret");
    let call = ops.iter().position(|&o| o == "call").expect("a call");
    assert!(ret < call, "the failure path comes last:\n{listing}");
    assert!(
        !ops.contains(&"nop"),
        "no alignment for the failure's spin:\n{listing}"
    );
}

/// A block the front end marks `cold` that goes back to hot code (a check's rare case) is
/// laid out after the loop around it — past the loop's back edge, before the code after
/// the loop — so the hot path falls through and the loop's values are not kept live to
/// the end of the function; the mark survives printing and parsing, and the results agree
/// with the reference interpreter.
#[test]
fn marked_cold_blocks_go_after_their_loop() {
    let src = "fn f(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 0\n    jump block1(v1, v1)\nblock1(v2: i64, v3: i64):\n    v4 = lt v2, v0\n    br v4, block2, block5\nblock2:\n    v5 = iconst 7\n    v6 = and v2, v5\n    v7 = eq v6, v5\n    br v7, block3, block4(v3)\nblock3 cold:\n    v8 = iconst 1000\n    v9 = mul v2, v8\n    v10 = add v3, v9\n    jump block4(v10)\nblock4(v11: i64):\n    v12 = add v11, v2\n    v13 = iconst 1\n    v14 = add v2, v13\n    jump block1(v14, v12)\nblock5:\n    v15 = iconst 3\n    v16 = mul v3, v15\n    ret v16\n}\n";
    let m = parse_module(src).unwrap_or_else(|e| panic!("parse: {e}"));
    let f = m.function(m.func_id("f").unwrap()).unwrap();
    assert!(f.blocks[3].cold && !f.blocks[4].cold);
    let printed = FunctionDisplay(f, &m).to_string();
    assert!(printed.contains("block3 cold:"), "{printed}");
    let again = parse_module(&printed).unwrap();
    assert_eq!(again.function(again.func_id("f").unwrap()).unwrap(), f);
    let j = JitModule::new(&m).unwrap();
    for n in [0, 1, 7, 8, 100] {
        let want = jit::interp::run(&m, m.func_id("f").unwrap(), &[n], 1 << 30).unwrap();
        assert_eq!(j.get("f").unwrap().call(&[n]), want, "f({n})");
    }
    let listing = listing_of(&m, "f");
    let ops = mnemonics(&listing);
    let imuls: Vec<usize> = (0..ops.len()).filter(|&i| ops[i] == "imul").collect();
    let ret = ops.iter().position(|&o| o == "ret").expect("a ret");
    assert_eq!(imuls.len(), 2, "{listing}");
    // Past the cold block's multiply, no test of the loop's (its back edge is behind),
    // and the code after the loop still to come.
    let tests_after = ops[imuls[0]..ret]
        .iter()
        .filter(|o| o.starts_with('j') && **o != "jmp" && **o != "jo")
        .count();
    assert!(
        tests_after == 0 && imuls[1] < ret,
        "the cold block's multiply after the loop, before the code after it:\n{listing}"
    );
}

/// `return f(args)` of the function itself is a jump: Ackermann keeps only its inner call,
/// gcd none; a function mixing plain tail calls with an accumulated one keeps `acc` across
/// the plain ones. Each agrees with the reference interpreter before the pass.
#[test]
fn plain_tail_calls_become_jumps() {
    let src = "fn ack(i64, i64) -> i64 {\nblock0(v0: i64, v1: i64):\n    v2 = iconst 0\n    v3 = eq v0, v2\n    br v3, block1, block2\nblock1:\n    v4 = iconst 1\n    v5 = add v1, v4\n    ret v5\nblock2:\n    v6 = eq v1, v2\n    v7 = iconst 1\n    v8 = sub v0, v7\n    br v6, block3, block4\nblock3:\n    v9 = call ack(v8, v7)\n    ret v9\nblock4:\n    v10 = sub v1, v7\n    v11 = call ack(v0, v10)\n    v12 = call ack(v8, v11)\n    ret v12\n}\n\
        fn mixed(i64) -> i64 {\nblock0(v0: i64):\n    v1 = iconst 0\n    br_le v0, v1, block1, block2\nblock1:\n    ret v1\nblock2:\n    v2 = iconst 1\n    v3 = sub v0, v2\n    v4 = iconst 2\n    v5 = and v0, v2\n    v6 = eq v5, v1\n    br v6, block3, block4\nblock3:\n    v7 = call mixed(v3)\n    ret v7\nblock4:\n    v8 = call mixed(v3)\n    v9 = add v0, v8\n    ret v9\n}\n";
    let m = parse_module(src).unwrap();
    let mut t = m.clone();
    for name in ["ack", "mixed"] {
        let id = t.func_id(name).unwrap();
        assert!(passes::eliminate_tail_recursion(
            t.function_mut(id).unwrap(),
            id
        ));
    }
    jit::verify::verify_module(&t).unwrap();
    let ack = FunctionDisplay(t.function(t.func_id("ack").unwrap()).unwrap(), &t).to_string();
    assert_eq!(
        ack.matches("call").count(),
        1,
        "the inner call only:\n{ack}"
    );
    let mixed = FunctionDisplay(t.function(t.func_id("mixed").unwrap()).unwrap(), &t).to_string();
    assert!(!mixed.contains("call"), "{mixed}");
    let j = JitModule::new(&m).unwrap();
    for (name, args) in [
        // (The reference interpreter recurses in Rust: small depths for a debug build's
        // test thread.)
        ("ack", vec![2, 3]),
        ("ack", vec![3, 2]),
        ("ack", vec![0, 7]),
        ("mixed", vec![0]),
        ("mixed", vec![9]),
        ("mixed", vec![60]),
    ] {
        let want = jit::interp::run(&m, m.func_id(name).unwrap(), &args, 1 << 30).unwrap();
        assert_eq!(
            jit::interp::run(&t, t.func_id(name).unwrap(), &args, 1 << 30),
            Ok(want),
            "{name}{args:?}"
        );
        assert_eq!(j.get(name).unwrap().call(&args), want, "{name}{args:?}");
    }
    // (sum of the odd numbers to 9, the even ones passed through: 25)
    assert_eq!(j.get("mixed").unwrap().call(&[9]), 25);
}

/// The block of the instruction defining `v` in printed IR (the last `blockN` label above
/// its line).
fn block_of(ir: &str, v: &str) -> String {
    let mut block = String::new();
    for line in ir.lines() {
        if line.starts_with("block") {
            block = line.split(['(', ':']).next().unwrap().to_string();
        }
        if line.trim_start().starts_with(&format!("{v} = ")) {
            return block;
        }
    }
    panic!("{v} not defined in\n{ir}")
}

/// The function `g` the tests below call from `f`.
const CALLEE: &str = "fn g() -> i64 {
block0:
    v0 = iconst 0
    ret v0
}";

/// `f` of module `src` optimized (and verified), as text. Its loads are never run.
fn optimized_f(src: &str) -> String {
    let mut m = parse_module(src).unwrap();
    // SAFETY: only optimized and verified, never run.
    unsafe { m.allow_memory_access() };
    let id = m.func_id("f").unwrap();
    passes::optimize(m.function_mut(id).unwrap());
    jit::verify::verify_module(&m).unwrap();
    FunctionDisplay(m.function(id).unwrap(), &m).to_string()
}

#[test]
fn invariant_code_leaves_loops_that_allow_it() {
    // s += a * b + i for i < n: a * b moves to the block before the loop; the invariant
    // load too, while the loop makes no call; the plain load and the store stay.
    let src = |call: &str| {
        format!(
            "fn f(i64, i64, i64) -> i64 {{
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst 0
    jump block1(v3, v3)
block1(v4: i64, v5: i64):
    br_lt v4, v2, block2, block3
block2:
    v6 = mul v0, v1
    v7 = add v6, v4
    v8 = load_u64 v0, 8 invariant
    v9 = load_u64 v0, 16
    v10 = add v7, v8
    v11 = add v10, v9
    v12 = add v5, v11
    v13 = store_u64 v0, 16, v12
    {call}
    v15 = iconst 1
    v16 = add v4, v15
    jump block1(v16, v12)
block3:
    ret v5
}}
{CALLEE}"
        )
    };
    let out = optimized_f(&src("v14 = copy v3"));
    assert_eq!(block_of(&out, "v6"), "block0", "{out}");
    assert_eq!(block_of(&out, "v8"), "block0", "{out}");
    assert_eq!(block_of(&out, "v9"), "block2", "{out}");
    assert_eq!(block_of(&out, "v13"), "block2", "{out}");
    // With a call in the loop the invariant load stays (a call may change that memory);
    // the arithmetic still moves.
    let out = optimized_f(&src("v14 = call g()"));
    assert_eq!(block_of(&out, "v6"), "block0", "{out}");
    assert_eq!(block_of(&out, "v8"), "block2", "{out}");
}

#[test]
fn repeated_computations_become_one() {
    // mul and the invariant load repeat in blocks their first block dominates: the
    // repeats go (a commutative one with its operands swapped too); a load after a call,
    // or reached on a path through the call, stays.
    let src = |call: &str| {
        format!(
            "fn f(i64, i64, i64) -> i64 {{
block0(v0: i64, v1: i64, v2: i64):
    v3 = mul v0, v1
    v4 = load_u64 v2, 8 invariant
    br_lt v0, v1, block1, block2
block1:
    v5 = mul v1, v0
    v6 = load_u64 v2, 8 invariant
    {call}
    v8 = load_u64 v2, 8 invariant
    v9 = add v5, v6
    v10 = add v9, v8
    jump block3(v10)
block2:
    v11 = mul v0, v1
    v17 = load_u64 v2, 16
    v18 = load_u64 v2, 16
    v19 = add v11, v17
    v20 = add v19, v18
    jump block3(v20)
block3(v12: i64):
    v13 = mul v0, v1
    v14 = load_u64 v2, 8 invariant
    v15 = add v12, v13
    v16 = add v15, v14
    v21 = add v16, v3
    ret v21
}}
{CALLEE}"
        )
    };
    let defined = |ir: &str, v: &str| {
        ir.lines()
            .any(|l| l.trim_start().starts_with(&format!("{v} = ")))
    };
    let out = optimized_f(&src("v7 = call g()"));
    for (v, kept) in [
        ("v3", true),
        ("v4", true),
        ("v5", false),
        ("v6", false),
        ("v8", true),
        ("v11", false),
        ("v13", false),
        ("v14", true),
        // Plain loads are never merged.
        ("v17", true),
        ("v18", true),
    ] {
        assert_eq!(defined(&out, v), kept, "{v}:\n{out}");
    }
    // Without the call every repeat of the invariant load goes.
    let out = optimized_f(&src("v7 = copy v3"));
    for v in ["v6", "v8", "v14"] {
        assert!(!defined(&out, v), "{v}:\n{out}");
    }
    assert!(defined(&out, "v4"), "{out}");
}
