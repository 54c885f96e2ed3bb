//! End-to-end: text → verify → compile → call, against the reference interpreter.

use jit::text::parse_module;
use jit::{JitModule, Options};

const FIB: &str = "
fn fib(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 2
    br_lt v0, v1, block1, block2
block1:
    ret v0
block2:
    v2 = iconst 1
    v3 = sub v0, v2
    v4 = call fib(v3)
    v5 = iconst 2
    v6 = sub v0, v5
    v7 = call fib(v6)
    add.ovf v4, v7 -> block3, else block4
block3(v8: i64):
    ret v8
block4:
    v9 = iconst -1
    ret v9
}
";

const SUM: &str = "
fn sum_to(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 0
    v2 = iconst 1
    jump block1(v1, v2)
block1(v3: i64, v4: i64):
    v5 = gt v4, v0
    br v5, block2, block3
block2:
    ret v3
block3:
    v6 = add v3, v4
    v7 = iconst 1
    v8 = add v4, v7
    jump block1(v6, v8)
}
";

/// `src` parsed and compiled (optimized).
fn compiled(src: &str) -> JitModule {
    JitModule::new(&parse_module(src).unwrap()).unwrap()
}

/// Some path returns before the prologue saves anything.
fn assert_returns_before_saving(text: &[String]) {
    let first_push = text
        .iter()
        .position(|i| i.starts_with("push "))
        .expect("saves");
    let first_ret = text
        .iter()
        .position(|i| i.starts_with("ret"))
        .expect("returns");
    assert!(first_ret < first_push, "{text:#?}");
}

/// Past the early tests (made on the entry block itself), the frame is made and the code
/// goes straight on: the tests are not made again (the first thing after the saves and
/// moves is a jump).
fn assert_tests_not_repeated(text: &[String]) {
    let first_push = text
        .iter()
        .position(|i| i.starts_with("push "))
        .expect("saves");
    let after = text[first_push..]
        .iter()
        .find(|i| !(i.starts_with("push ") || i.starts_with("mov ") || i.starts_with("sub rsp")))
        .expect("code after the saves");
    assert!(after.starts_with("jmp "), "{after}: {text:#?}");
}

#[test]
fn fib_and_sum_compile_and_run() {
    for opt in [false, true] {
        let m = parse_module(FIB).unwrap();
        let j = JitModule::with_options(
            &m,
            Options {
                optimize: opt,
                ..Options::default()
            },
        )
        .unwrap();
        let fib = j.get("fib").unwrap();
        assert_eq!(fib.call(&[20]), 6765);
        assert_eq!(fib.call(&[1]), 1);
        let m = parse_module(SUM).unwrap();
        let j = JitModule::with_options(
            &m,
            Options {
                optimize: opt,
                ..Options::default()
            },
        )
        .unwrap();
        let s = j.get("sum_to").unwrap();
        assert_eq!(s.call(&[100]), 5050);
        assert_eq!(s.call(&[0]), 0);
        assert_eq!(
            jit::interp::run(&m, m.func_id("sum_to").unwrap(), &[1000], 1 << 20),
            Ok(500500)
        );
    }
}

#[test]
fn disassembly_lists_the_generated_code() {
    let m = parse_module(FIB).unwrap();
    let j = JitModule::new(&m).unwrap();
    let code = &j.code().functions[0].code;
    let listing = jit::disasm::disassemble(code, 0);
    if std::env::var_os("JIT_DUMP").is_some() {
        println!("{listing}");
    }
    let text = jit::disasm::instructions(code);
    // fib's `n < 2` returns before anything is saved (the prologue comes after it).
    assert_returns_before_saving(&text);
    assert_tests_not_repeated(&text);
    assert!(text.iter().any(|i| i.starts_with("call ")), "{listing}");
    assert!(
        text.iter().any(|i| i.starts_with("jo ")),
        "the checked add: {listing}"
    );
    assert!(listing.lines().count() == text.len());
}

/// Two nested counting loops summing `(i ^ j) & 255` with an overflow check, as a front
/// end lowers them (the counter's increment first, a failure that returns a constant).
const NESTED: &str = "
fn nested(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 0
    jump block1(v1, v1)
block1(v2: i64, v3: i64):
    br_lt v3, v0, block2, block6
block2:
    v4 = iconst 1
    v5 = add v3, v4
    v6 = iconst 0
    jump block3(v2, v6)
block3(v7: i64, v8: i64):
    br_lt v8, v0, block4, block5
block4:
    v9 = iconst 1
    v10 = add v8, v9
    v11 = xor v8, v3
    v12 = iconst 255
    v13 = and v11, v12
    add.ovf v7, v13 -> block7, else block8
block7(v14: i64):
    jump block3(v14, v10)
block5:
    jump block1(v7, v5)
block6:
    ret v2
block8:
    v15 = iconst -1
    ret v15
}
";

/// The innermost loop of `code`: the instructions from the target of the backward branch
/// that jumps the shortest way back up to that branch, as (offset, text).
fn innermost_loop(code: &[u8]) -> Vec<(u64, String)> {
    let (lines, back) = backward_branches(code);
    let (at, to) = back
        .into_iter()
        .min_by_key(|(a, to)| a - to)
        .unwrap_or_else(|| {
            panic!(
                "no backward branch in\n{}",
                jit::disasm::disassemble(code, 0)
            )
        });
    lines
        .into_iter()
        .filter(|(a, _)| (to..=at).contains(a))
        .collect()
}

/// An instruction's offset and text.
type Line = (u64, String);

/// `code`'s instructions as (offset, text), and its backward branches as (offset, target).
fn backward_branches(code: &[u8]) -> (Vec<Line>, Vec<(u64, u64)>) {
    let listing = jit::disasm::disassemble(code, 0);
    let lines: Vec<(u64, String)> = listing
        .lines()
        .map(|l| {
            let addr = u64::from_str_radix(&l[..8], 16).unwrap();
            // "offset  bytes (padded to 24 columns)  text"
            let text = l.get(36..).unwrap_or("").split_whitespace();
            (addr, text.collect::<Vec<_>>().join(" "))
        })
        .collect();
    let target = |t: &str| {
        let arg = t.split_whitespace().last()?;
        u64::from_str_radix(arg.trim_end_matches('h'), 16).ok()
    };
    let back = lines
        .iter()
        .filter(|(_, t)| t.starts_with('j'))
        .filter_map(|(a, t)| Some((*a, target(t)?)))
        .filter(|(a, to)| to <= a)
        .collect();
    (lines, back)
}

#[test]
fn loops_test_at_the_bottom_and_keep_their_accumulators_in_place() {
    let j = compiled(NESTED);
    let f = j.get("nested").unwrap();
    let want = |n: i64| {
        (0..n)
            .flat_map(|i| (0..n).map(move |j| (i ^ j) & 255))
            .sum::<i64>()
    };
    for n in [0, 1, 7, 300] {
        assert_eq!(f.call(&[n]), want(n), "nested({n})");
    }
    let code = &j.code().functions[0].code;
    if std::env::var_os("JIT_DUMP").is_some() {
        println!("{}", jit::disasm::disassemble(code, 0));
    }
    let body = innermost_loop(code);
    let shown = || {
        body.iter()
            .map(|(a, t)| format!("{a:4x}  {t}\n"))
            .collect::<String>()
    };
    // Rotated: the back edge is the test's own branch, and nothing else jumps.
    let last = &body.last().unwrap().1;
    assert!(
        last.starts_with('j') && !last.starts_with("jmp"),
        "{}",
        shown()
    );
    let jumps = body.iter().filter(|(_, t)| t.starts_with("jmp")).count();
    assert_eq!(jumps, 0, "an unconditional jump in the loop:\n{}", shown());
    // The accumulator is added to where it lives: the checked add needs no scratch
    // register and no copy back, the loop's values stay in registers.
    let moves = body.iter().filter(|(_, t)| t.starts_with("mov ")).count();
    assert!(moves <= 2, "{moves} moves in the loop:\n{}", shown());
    assert!(
        !body
            .iter()
            .any(|(_, t)| t.contains("rsp") || t.contains("rbp")),
        "a spill in the loop:\n{}",
        shown()
    );
    assert!(body.len() <= 9, "{} instructions:\n{}", body.len(), shown());
}

/// `n % d == 0` with floor semantics, and `n % d` itself, side by side.
const DIVIDES: &str = "
fn divides(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    floormod v0, v1 -> block1, else block2
block1(v2: i64):
    v3 = iconst 0
    v4 = eq v2, v3
    br v4, block3, block4
block2:
    v5 = iconst -1
    ret v5
block3:
    v6 = iconst 1
    ret v6
block4:
    v7 = iconst 0
    ret v7
}
";

#[test]
fn a_floor_modulo_tested_for_zero_agrees_with_the_interpreter() {
    let m = parse_module(DIVIDES).unwrap();
    let j = JitModule::new(&m).unwrap();
    let f = j.get("divides").unwrap();
    let id = m.func_id("divides").unwrap();
    let values = [
        0,
        1,
        -1,
        2,
        -2,
        3,
        -3,
        7,
        -7,
        12,
        -12,
        i64::MIN,
        i64::MAX,
        i64::MIN + 1,
    ];
    for &n in &values {
        for &d in &values {
            let want = jit::interp::run(&m, id, &[n, d], 1 << 20).unwrap();
            assert_eq!(f.call(&[n, d]), want, "divides({n}, {d})");
        }
    }
    // The test needs no floor fix-up: a truncating remainder (idiv, then test rdx).
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    assert!(!text.iter().any(|i| i.starts_with("xor r11")), "{text:#?}");
}

/// `while d * d <= n: d += 1` — a loop head that computes (a checked multiply) before
/// its test.
const ISQRT: &str = "
fn isqrt(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 1
    jump block1(v1)
block1(v2: i64):
    mul.ovf v2, v2 -> block2, else block5
block2(v3: i64):
    br_le v3, v0, block3, block4
block3:
    v4 = iconst 1
    add.ovf v2, v4 -> block1, else block5
block4:
    v5 = iconst 1
    v6 = sub v2, v5
    ret v6
block5:
    v7 = iconst -1
    ret v7
}
";

#[test]
fn a_loop_head_that_computes_is_repeated_at_the_bottom() {
    let j = compiled(ISQRT);
    let f = j.get("isqrt").unwrap();
    for (n, want) in [
        (0, 0),
        (1, 1),
        (8, 2),
        (9, 3),
        (1 << 40, 1 << 20),
        (i64::MAX, -1),
    ] {
        assert_eq!(f.call(&[n]), want, "isqrt({n})");
    }
    let body = innermost_loop(&j.code().functions[0].code);
    let last = &body.last().unwrap().1;
    assert!(
        last.starts_with('j') && !last.starts_with("jmp"),
        "{body:#?}"
    );
    assert!(!body.iter().any(|(_, t)| t.starts_with("jmp")), "{body:#?}");
}

/// `x & 4 == 0` decides the branch.
const BIT: &str = "
fn bit(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 4
    v2 = and v0, v1
    v3 = iconst 0
    br_eq v2, v3, block1, block2
block1:
    v4 = iconst 10
    ret v4
block2:
    v5 = iconst 20
    ret v5
}
";

#[test]
fn a_masked_test_against_zero_is_one_test_instruction() {
    let j = compiled(BIT);
    let f = j.get("bit").unwrap();
    for x in [0, 3, 4, 5, -1, -4, i64::MIN, i64::MAX] {
        assert_eq!(f.call(&[x]), if x & 4 == 0 { 10 } else { 20 }, "bit({x})");
    }
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    assert!(
        text.iter()
            .any(|i| i.starts_with("test") && i.ends_with(",4")),
        "{text:#?}"
    );
    assert!(!text.iter().any(|i| i.starts_with("and")), "{text:#?}");
}

/// Takeuchi's function: its last call becomes a jump back to a loop head (tail recursion),
/// which the entry jumps to first.
const TAK: &str = include_str!("kernels/tak.ir");

#[test]
fn a_return_through_a_tail_call_loop_head_needs_no_frame() {
    let j = compiled(TAK);
    let f = j.get("tak").unwrap();
    fn tak(x: i64, y: i64, z: i64) -> i64 {
        if y < x {
            tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
        } else {
            z
        }
    }
    for (x, y, z) in [(18, 12, 6), (3, 2, 1), (1, 2, 3), (0, 0, 0)] {
        assert_eq!(f.call(&[x, y, z]), tak(x, y, z), "tak({x}, {y}, {z})");
    }
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    assert_returns_before_saving(&text);
    // Past the early tests, the frame, the jump's moves to the loop head, and on.
    assert_tests_not_repeated(&text);
}

/// `total += i % 3` over a range: a floor modulo by a constant (no division instruction).
const MOD_SUM: &str = include_str!("kernels/mod_sum.ir");

#[test]
fn a_division_by_a_constant_hands_its_result_over_with_one_move_at_most() {
    let j = compiled(MOD_SUM);
    let f = j.get("mod_sum").unwrap();
    for n in [0, 1, 2, 3, 10, 1000] {
        assert_eq!(
            f.call(&[n]),
            (0..n).map(|i| i % 3).sum::<i64>(),
            "mod_sum({n})"
        );
    }
    // Two register moves in a row into the accumulator (`mov rax, r11; mov r9, rax`) ran
    // the loop 1.35× slower on AMD Zen than one.
    let body = innermost_loop(&j.code().functions[0].code);
    let chained = body.windows(2).any(|w| {
        let (a, b) = (&w[0].1, &w[1].1);
        let dst = a.strip_prefix("mov ").and_then(|r| r.split(',').next());
        a.starts_with("mov ")
            && b.starts_with("mov ")
            && dst.is_some_and(|d| b.ends_with(&format!(",{d}")))
    });
    assert!(!chained, "{body:#?}");
}

/// Loads and stores of every width over a buffer of 16-byte records (a word, then a byte
/// and a dword in the second word): a running sum kept in each record; then constants
/// (their low bytes) stored without a register.
const RECORDS: &str = "
fn records(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst 0
    jump block1(v2, v2)
block1(v3: i64, v4: i64):
    br_lt v3, v1, block2, block3
block2:
    v5 = iconst 4
    v6 = shl v3, v5
    v7 = add v0, v6
    v8 = load_u64 v7, 0
    v9 = load_u8 v7, 8
    v10 = load_u32 v7, 12
    v11 = add v4, v8
    v12 = add v11, v9
    v13 = add v12, v10
    v14 = store_u64 v7, 0, v13
    v15 = iconst 1
    v16 = add v3, v15
    v17 = store_u8 v7, 8, v13
    v18 = store_u32 v7, 12, v13
    v19 = iconst 511
    v20 = store_u8 v7, 9, v19
    v21 = iconst -4294967297
    v22 = store_u32 v7, 12, v21
    jump block1(v16, v13)
block3:
    ret v4
}
";

/// A buffer of `n` records with varied contents.
fn records(n: usize) -> Vec<u64> {
    (0..2 * n as u64)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i << 7))
        .collect()
}

#[test]
fn loads_and_stores_agree_with_the_interpreter() {
    let mut m = parse_module(RECORDS).unwrap();
    // Without the module's leave, the verifier refuses them.
    let err = jit::verify::verify_module(&m).unwrap_err();
    assert!(err.to_string().contains("allow_memory_access"), "{err}");
    // SAFETY: each call below passes a buffer of at least v1 16-byte records.
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("records").unwrap();
    let id = m.func_id("records").unwrap();
    for n in [0usize, 1, 2, 7, 64] {
        let (mut a, mut b) = (records(n), records(n));
        let want = jit::interp::run(&m, id, &[a.as_mut_ptr() as i64, n as i64], 1 << 20).unwrap();
        let got = f.call(&[b.as_mut_ptr() as i64, n as i64]);
        assert_eq!(got, want, "records({n})");
        assert_eq!(a, b, "memory after records({n})");
        if n > 0 {
            assert_ne!(a, records(n), "the stores wrote");
        }
    }
    // Each access is one move (movzx for the byte, a 32-bit register for the dword, an
    // immediate for a constant).
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    assert_eq!(
        text.iter().filter(|i| i.contains('[')).count(),
        8,
        "{text:#?}"
    );
    assert!(text.iter().any(|i| i.starts_with("movzx")), "{text:#?}");
    for store in ["byte ptr [r10+9],0FFh", "dword ptr [r10+0Ch],0FFFFFFFFh"] {
        assert!(
            text.iter().any(|i| i.starts_with("mov ")
                && i.contains(&store[..store.find('[').unwrap()])
                && i.ends_with(&store[store.find(',').unwrap()..])),
            "a constant stored as {store}: {text:#?}"
        );
    }
}

/// Branches on loaded values: a word compared with a parameter (either side) and with a
/// constant, a byte compared with byte constants (200, and 0 as a bool is tested) — each a
/// load read by the branch alone, so code generation compares the memory in place.
const TESTS: &str = "
fn tests(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst 0
    jump block1(v3, v3)
block1(v4: i64, v5: i64):
    br_lt v4, v1, block2, block9
block2:
    v6 = iconst 4
    v7 = shl v4, v6
    v8 = add v0, v7
    v9 = iconst 1
    v10 = add v4, v9
    v11 = load_u64 v8, 0
    br_lt v11, v2, block3(v5), block3(v9)
block3(v12: i64):
    v13 = load_u64 v8, 0
    br_le v2, v13, block4(v12), block4(v10)
block4(v14: i64):
    v15 = load_u64 v8, 0
    v16 = iconst -5
    br_ne v15, v16, block5(v14), block5(v3)
block5(v17: i64):
    v18 = load_u8 v8, 8
    v19 = iconst 200
    br_eq v18, v19, block6(v17), block7(v17)
block6(v20: i64):
    v21 = add v20, v10
    jump block7(v21)
block7(v22: i64):
    v23 = load_u8 v8, 9
    br_ne v23, v3, block8(v22), block1(v10, v22)
block8(v24: i64):
    v25 = iconst 3
    v26 = mul v24, v25
    jump block1(v10, v26)
block9:
    ret v5
}
";

#[test]
fn loads_tested_in_place_agree_with_the_interpreter() {
    let mut m = parse_module(TESTS).unwrap();
    // SAFETY: each call below passes a buffer of at least v1 16-byte records.
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("tests").unwrap();
    let id = m.func_id("tests").unwrap();
    for n in [0usize, 1, 5, 64] {
        let mut buf = records(n);
        for (i, w) in buf.iter_mut().enumerate() {
            // Some words -5, some bytes 200, some bools set.
            match i % 6 {
                0 => *w = (-5i64) as u64,
                1 => *w = (*w & !0xFFFF) | 200 | (((i / 6) as u64 & 1) << 8),
                3 => *w = (*w & !0xFFFF) | 0x100,
                _ => {}
            }
        }
        for limit in [i64::MIN, -5, 0, 1 << 40, i64::MAX] {
            let args = [buf.as_mut_ptr() as i64, n as i64, limit];
            let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
            assert_eq!(f.call(&args), want, "tests(n = {n}, limit = {limit})");
        }
    }
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    for form in ["cmp qword ptr [", "cmp byte ptr ["] {
        assert!(
            text.iter().any(|i| i.starts_with(form)),
            "{form}…: {text:#?}"
        );
    }
    assert!(
        !text.iter().any(|i| i.starts_with("movzx")),
        "no byte is loaded into a register: {text:#?}"
    );
}

#[test]
fn a_stores_result_has_no_value() {
    let src = "
fn bad(i64) -> i64 {
block0(v0: i64):
    v1 = store_u64 v0, 0, v0
    ret v1
}
";
    let mut m = parse_module(src).unwrap();
    // SAFETY: never run.
    unsafe { m.allow_memory_access() };
    let err = jit::verify::verify_module(&m).unwrap_err();
    assert!(err.to_string().contains("store's result"), "{err}");
    // The text form round-trips.
    let printed = jit::text::module_to_string(&parse_module(RECORDS).unwrap());
    assert!(printed.contains("v17 = store_u8 v7, 8, v13"), "{printed}");
    assert!(printed.contains("v10 = load_u32 v7, 12"), "{printed}");
}

/// `x + c` and `x - c` into a register other than x's (x still needed) are one `lea`, and
/// wrap as the adds they stand for.
#[test]
fn constant_adds_into_another_register_are_one_lea() {
    let src = "
fn f(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 5
    v2 = add v0, v1
    v3 = iconst -7
    v4 = add v3, v0
    v5 = iconst 2147483647
    v6 = sub v0, v5
    v7 = mul v2, v4
    v8 = xor v7, v6
    v9 = xor v8, v0
    ret v9
}
";
    let m = parse_module(src).unwrap();
    let id = m.func_id("f").unwrap();
    let j = JitModule::with_options(
        &m,
        Options {
            inline: false,
            ..Options::default()
        },
    )
    .unwrap();
    let f = j.get("f").unwrap();
    for x in [0, 1, -1, 7, i64::MAX, i64::MIN, i64::MAX - 4, i64::MIN + 6] {
        let want = jit::interp::run(&m, id, &[x], 1 << 10).unwrap();
        assert_eq!(f.call(&[x]), want, "f({x})");
    }
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    let leas = text.iter().filter(|i| i.starts_with("lea ")).count();
    assert!(leas >= 3, "x+5, -7+x and x-2147483647 as lea: {text:#?}");
}

/// An address `x + y` read only by loads and stores is folded into them (`[x + y + 8]`);
/// when so many values are live that x or y would wait in a spill slot, the add is
/// computed once as before: both against the interpreter.
#[test]
fn folded_addresses_agree_with_the_interpreter_under_pressure() {
    for live in [0usize, 16] {
        let mut text = String::from(
            "fn f(i64, i64) -> i64 {\nblock0(v0: i64, v1: i64):\n    v2 = iconst 4\n    v3 = shl v1, v2\n    v4 = add v0, v3\n",
        );
        // `live` values made from v1 before the access and all read after it.
        let mut next = 5;
        let mut kept = Vec::new();
        for k in 0..live {
            text += &format!(
                "    v{next} = iconst {}\n    v{} = mul v1, v{next}\n",
                k + 3,
                next + 1
            );
            kept.push(next + 1);
            next += 2;
        }
        if live > 0 {
            // x and y read last of all: the longest lives, which the allocator spills.
            kept.extend([0, 3]);
        }
        let (loaded, stored) = (next, next + 1);
        text += &format!(
            "    v{loaded} = load_u64 v4, 8\n    v{stored} = store_u64 v4, 0, v{loaded}\n"
        );
        let mut acc = loaded;
        next += 2;
        for k in kept {
            text += &format!("    v{next} = xor v{acc}, v{k}\n");
            acc = next;
            next += 1;
        }
        text += &format!("    ret v{acc}\n}}\n");
        let mut m = parse_module(&text).unwrap();
        // SAFETY: each call passes a buffer of 16-byte records and an index within it.
        unsafe { m.allow_memory_access() };
        let j = JitModule::new(&m).unwrap();
        let f = j.get("f").unwrap();
        let id = m.func_id("f").unwrap();
        for i in [0i64, 1, 5] {
            // One buffer for both (x, its address, is among the values read at the end).
            let mut buf = records(6);
            let want = jit::interp::run(&m, id, &[buf.as_mut_ptr() as i64, i], 1 << 20).unwrap();
            let after = buf.clone();
            buf.copy_from_slice(&records(6));
            assert_eq!(
                f.call(&[buf.as_mut_ptr() as i64, i]),
                want,
                "live {live}, i {i}"
            );
            assert_eq!(buf, after, "memory after f(i = {i}), live {live}");
        }
        let code = jit::disasm::instructions(&j.code().functions[0].code);
        if live > 0 {
            // x or y spilled: the add is computed once after all, not at every access.
            assert!(
                !code.iter().any(|i| i.contains("[r11+8]")),
                "no address summed again at its access: {code:#?}"
            );
        } else {
            assert!(
                code.iter().any(|i| i.contains("*1") || i.contains("+r")),
                "an indexed operand: {code:#?}"
            );
            assert!(
                !code
                    .iter()
                    .any(|i| i.starts_with("add ") && !i.starts_with("add rsp")),
                "no add: {code:#?}"
            );
        }
    }
}

/// Ackermann's function, its base case `n + 1` checked (-1 on overflow, where a front end
/// would raise).
const ACK: &str = "
fn ack(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst 0
    br_eq v0, v2, block1, block2
block1:
    v3 = iconst 1
    add.ovf v1, v3 -> block3, else block4
block3(v4: i64):
    ret v4
block4:
    v5 = iconst -1
    ret v5
block2:
    br_eq v1, v2, block5, block6
block5:
    v6 = iconst 1
    v7 = sub v0, v6
    v8 = call ack(v7, v6)
    ret v8
block6:
    v9 = iconst 1
    v10 = sub v1, v9
    v11 = call ack(v0, v10)
    v12 = sub v0, v9
    v13 = call ack(v12, v11)
    ret v13
}
";

#[test]
fn a_base_case_that_adds_to_a_parameter_returns_before_saving() {
    let m = parse_module(ACK).unwrap();
    for inline in [false, true] {
        let j = JitModule::with_options(
            &m,
            Options {
                inline,
                ..Options::default()
            },
        )
        .unwrap();
        let f = j.get("ack").unwrap();
        let id = m.func_id("ack").unwrap();
        for (a, b) in [
            (0, 0),
            (0, 41),
            (0, i64::MAX),
            (0, i64::MAX - 1),
            (1, 3),
            (2, 3),
            (3, 3),
        ] {
            let want = jit::interp::run(&m, id, &[a, b], 1 << 24).unwrap();
            assert_eq!(f.call(&[a, b]), want, "ack({a}, {b})");
        }
        let text = jit::disasm::instructions(&j.code().functions[0].code);
        assert_returns_before_saving(&text);
        // The early return adds, and goes to the full entry on overflow.
        let first_push = text.iter().position(|i| i.starts_with("push ")).unwrap();
        assert!(
            text[..first_push].iter().any(|i| i.starts_with("jo ")),
            "{text:#?}"
        );
    }
}

/// `return g(x)` (a call ending its block, its result returned) moves nothing after the
/// call: the result is in rax already, where the return wants it.
#[test]
fn a_returned_call_result_stays_in_rax() {
    const SRC: &str = "
fn g(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 3
    v2 = mul v0, v1
    ret v2
}

fn f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = add v0, v1
    v3 = call g(v2)
    ret v3
}
";
    let m = parse_module(SRC).unwrap();
    let j = JitModule::with_options(
        &m,
        Options {
            inline: false,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(j.get("f").unwrap().call(&[4, 1]), 15);
    let text = jit::disasm::instructions(&j.code().functions[1].code);
    let call = text
        .iter()
        .position(|i| i.starts_with("call "))
        .expect("a call");
    assert!(
        text[call + 1..].iter().all(|i| !i.starts_with("mov ")),
        "{text:#?}"
    );
}

/// Thirteen values live across a loop and read only after it, and one (`x`) read on every
/// turn and again at the very end: more values than registers. The allocator spills by
/// cost — uses weighed by loop depth, per position held — so `x` keeps its register and the
/// loop reads no spill slot (spilling whatever lives longest would have picked `x`).
#[test]
fn a_value_read_in_a_loop_keeps_its_register_over_longer_lived_ones() {
    const LIVE: usize = 13;
    let mut src = String::from(
        "fn f(i64, i64) -> i64 {\nblock0(v0: i64, v1: i64):\n    v2 = iconst 0\n    v3 = iconst 1\n",
    );
    for i in 0..LIVE {
        src += &format!(
            "    v{} = iconst {}\n    v{} = add v1, v{}\n",
            100 + i,
            7 * i + 5,
            200 + i,
            100 + i
        );
    }
    src += "    jump block1(v0, v2)
block1(v4: i64, v5: i64):
    br_lt v2, v4, block2, block3
block2:
    v6 = xor v5, v1
    v7 = add v6, v4
    v8 = sub v4, v3
    jump block1(v8, v7)
block3:
";
    let mut prev = String::from("v5");
    for i in 0..LIVE {
        src += &format!("    v{} = add {prev}, v{}\n", 300 + i, 200 + i);
        prev = format!("v{}", 300 + i);
    }
    src += &format!("    v9 = mul {prev}, v1\n    ret v9\n}}\n");
    let j = compiled(&src);
    let (n, x) = (1000i64, 77i64);
    let mut acc = 0i64;
    for i in (1..=n).rev() {
        acc = (acc ^ x) + i;
    }
    let sum = (0..LIVE as i64).fold(acc, |s, i| s + x + 7 * i + 5);
    assert_eq!(j.get("f").unwrap().call(&[n, x]), sum * x);
    let body = innermost_loop(&j.code().functions[0].code);
    let listing: Vec<&str> = body.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        listing
            .iter()
            .all(|t| !t.contains("[rbp") && !t.contains("[rsp")),
        "the loop reads or writes a spill slot: {listing:#?}"
    );
}

/// Each loop counter's `+ 1` is made at the top of its body, read only by the jump back:
/// sunk to the end of the body (past the inner loop, for the outer counter), where the
/// counter dies, it adds in place — no `lea` into another register and no copy back.
#[test]
fn loop_counters_are_incremented_in_place_at_the_end_of_the_body() {
    let j = compiled(NESTED);
    assert_eq!(j.get("nested").unwrap().call(&[300]), {
        (0..300i64)
            .flat_map(|i| (0..300).map(move |j| (i ^ j) & 255))
            .sum::<i64>()
    });
    let text = jit::disasm::instructions(&j.code().functions[0].code);
    assert!(!text.iter().any(|i| i.starts_with("lea ")), "{text:#?}");
    let increments = text.iter().filter(|i| i.ends_with(",1")).count();
    assert!(
        increments >= 2
            && text
                .iter()
                .filter(|i| i.starts_with("add ") && i.ends_with(",1"))
                .count()
                == increments,
        "{text:#?}"
    );
    // The xor's copy and the result into rax: no register moved on the back edges.
    let moves = text
        .iter()
        .filter(|i| {
            i.starts_with("mov ") && i.rsplit(',').next().is_some_and(|s| s.starts_with('r'))
        })
        .count();
    assert!(moves <= 2, "{moves} register moves: {text:#?}");
}

/// A sum over a buffer of words that adds or subtracts each as a parameter says: the
/// branch on the mode is invariant, so the loop is copied once for each mode and neither
/// copy asks (unswitching); the word at `buf + i·8` is one scaled operand.
const ADD_OR_SUB: &str = "
fn add_or_sub(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst 0
    jump block1(v3, v3)
block1(v4: i64, v5: i64):
    br_lt v4, v1, block2, block5
block2:
    v6 = iconst 3
    v7 = shl v4, v6
    v8 = add v0, v7
    v9 = load_u64 v8, 0
    v10 = iconst 0
    br_eq v2, v10, block3, block4
block3:
    v11 = add v5, v9
    jump block6(v11)
block4:
    v12 = sub v5, v9
    jump block6(v12)
block6(v13: i64):
    v14 = iconst 1
    v15 = add v4, v14
    jump block1(v15, v13)
block5:
    ret v5
}
";

#[test]
fn a_branch_on_what_a_loop_never_changes_is_taken_once_before_it() {
    let mut m = parse_module(ADD_OR_SUB).unwrap();
    // SAFETY: each call below passes a buffer of at least v1 words.
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("add_or_sub").unwrap();
    let id = m.func_id("add_or_sub").unwrap();
    for n in [0usize, 1, 5, 100] {
        for mode in [0i64, 1, -7] {
            let buf: Vec<i64> = (0..n as i64).map(|i| i * i - 3 * i + 1).collect();
            let args = [buf.as_ptr() as i64, n as i64, mode];
            let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
            assert_eq!(f.call(&args), want, "add_or_sub(…, {n}, {mode})");
        }
    }
    let code = &j.code().functions[0].code;
    let text = jit::disasm::instructions(code);
    // Two loops (one per mode), each with its test at the bottom as its only branch.
    let lp = innermost_loop(code);
    let branches = lp.iter().filter(|(_, t)| t.starts_with('j')).count();
    assert_eq!(branches, 1, "{lp:#?}");
    let backward = text.iter().filter(|t| t.starts_with("jl ")).count();
    assert_eq!(backward, 2, "{text:#?}");
    // The word read as [buf + i*8]: no shift computed.
    assert!(lp.iter().any(|(_, t)| t.contains("*8]")), "{lp:#?}");
    assert!(!text.iter().any(|t| t.starts_with("shl ")), "{text:#?}");
}

/// The same question asked twice in one loop (as a front end asks an array's
/// representation at each access): one unswitching answers both, so the loop is copied
/// once, not once more per copy for the second branch.
const ASKED_TWICE: &str = "
fn asked_twice(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst 0
    v10 = iconst 0
    jump block1(v3, v3)
block1(v4: i64, v5: i64):
    br_lt v4, v1, block2, block5
block2:
    v9 = mul v4, v0
    br_eq v2, v10, block3, block4
block3:
    v11 = add v5, v9
    jump block6(v11)
block4:
    v12 = sub v5, v9
    jump block6(v12)
block6(v13: i64):
    br_eq v2, v10, block7, block8
block7:
    v16 = add v13, v4
    jump block9(v16)
block8:
    v17 = xor v13, v4
    jump block9(v17)
block9(v18: i64):
    v14 = iconst 1
    v15 = add v4, v14
    jump block1(v15, v18)
block5:
    ret v5
}
";

#[test]
fn a_question_a_loop_asks_twice_is_answered_once_for_both() {
    let m = parse_module(ASKED_TWICE).unwrap();
    let id = m.func_id("asked_twice").unwrap();
    let mut f = m.function(id).unwrap().clone();
    assert!(jit::passes::unswitch_loops(&mut f));
    let asks = f
        .blocks
        .iter()
        .filter(|b| matches!(&b.term, jit::Term::BranchCmp { a, .. } if *a == jit::Value(2)))
        .count();
    assert_eq!(asks, 1, "{f:#?}");
    let mut after = jit::Module::new();
    after.add(f);
    let j = JitModule::new(&after).unwrap();
    for args in [[3, 10, 0], [3, 10, 1], [-2, 7, 0], [5, 0, 9]] {
        let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
        assert_eq!(
            jit::interp::run(&after, id, &args, 1 << 20).unwrap(),
            want,
            "{args:?}"
        );
        assert_eq!(j.function(id).call(&args), want, "{args:?}");
    }
}

/// A loop nest entered in the middle, as on-stack replacement enters it: the entry jumps
/// to the inner loop's header, which then dominates the whole nest, and the outer loop's
/// back edge and the inner one's both go to it. Each outer turn sums a row (`v0 + 8·i·n`)
/// of an n × n matrix of words, in the inner loop: `rows` (a word of the table at v0's
/// front, read as invariant) times each word.
const ENTERED_INSIDE: &str = "
fn entered_inside(i64, i64, i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
    jump block2(v2, v3, v4)
block1(v5: i64, v6: i64):
    br_lt v5, v1, block3, block4
block3:
    v7 = iconst 0
    jump block2(v5, v7, v6)
block2(v8: i64, v9: i64, v10: i64):
    br_lt v9, v1, block5, block6
block5:
    v11 = mul v8, v1
    v12 = add v11, v9
    v13 = iconst 3
    v14 = shl v12, v13
    v15 = add v0, v14
    v16 = load_u64 v15, 0
    v17 = load_u64 v0, 0 invariant
    v18 = mul v16, v17
    v19 = add v10, v18
    v20 = iconst 1
    v21 = add v9, v20
    jump block2(v8, v21, v19)
block6:
    v22 = iconst 1
    v23 = add v8, v22
    jump block1(v23, v10)
block4:
    ret v6
}
";

#[test]
fn a_loop_nest_entered_inside_keeps_its_inner_loop_free_of_invariants() {
    let mut m = parse_module(ENTERED_INSIDE).unwrap();
    // SAFETY: each call below passes a buffer of n × n words.
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("entered_inside").unwrap();
    let id = m.func_id("entered_inside").unwrap();
    for n in [1usize, 3, 10] {
        let buf: Vec<i64> = (0..(n * n) as i64).map(|k| k * 7 % 11 - 3).collect();
        for (i, jj) in [
            (0, 0),
            (0, n as i64 - 1),
            (n as i64 - 1, 1.min(n as i64 - 1)),
        ] {
            let args = [buf.as_ptr() as i64, n as i64, i, jj, 5];
            let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
            assert_eq!(f.call(&args), want, "entered_inside(…, {n}, {i}, {jj})");
        }
    }
    // The inner loop: one load (the matrix's word), not the invariant one, and one
    // multiplication (the row's start is hoisted: no `i·n` in it).
    let lp = innermost_loop(&j.code().functions[0].code);
    let loads = lp.iter().filter(|(_, t)| t.contains('[')).count();
    assert_eq!(
        loads,
        1,
        "{}",
        jit::disasm::disassemble(&j.code().functions[0].code, 0)
    );
    let muls = lp.iter().filter(|(_, t)| t.starts_with("imul")).count();
    assert_eq!(muls, 1, "{lp:#?}");
}

/// A counted loop (`for j in start..n`) that reads two arrays at `j`, each read behind its
/// bounds check (`j <u len`, else return -1, as a front end's failure path leaves): the
/// sum of `a[j] * b[j]`.
const DOT_CHECKED: &str = "
fn dot_checked(i64, i64, i64, i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
    v6 = iconst 0
    jump block1(v5, v6)
block1(v7: i64, v8: i64):
    br_lt v7, v4, block2, block5
block2:
    br_ult v7, v1, block3, block6
block3:
    v9 = iconst 3
    v10 = shl v7, v9
    v11 = add v0, v10
    v12 = load_u64 v11, 0
    br_uge v7, v3, block6, block4
block4:
    v13 = add v2, v10
    v14 = load_u64 v13, 0
    v15 = mul v12, v14
    v16 = add v8, v15
    v17 = iconst 1
    v18 = add v7, v17
    jump block1(v18, v16)
block5:
    ret v8
block6:
    v19 = iconst -1
    ret v19
}
";

#[test]
fn a_counted_loops_bounds_checks_are_decided_once_before_it() {
    let mut m = parse_module(DOT_CHECKED).unwrap();
    // SAFETY: each call below passes buffers of the lengths it passes (v1, v3); the
    // function reads no word at or past them.
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("dot_checked").unwrap();
    let id = m.func_id("dot_checked").unwrap();
    // Bounds within both lengths (the unchecked version), past either (the checked one,
    // which fails at the first index out of range), starts below zero and past the end.
    for (la, lb) in [(0usize, 0usize), (1, 1), (8, 8), (8, 5), (5, 8), (100, 100)] {
        let a: Vec<i64> = (0..la as i64).map(|i| 3 * i - 7).collect();
        let b: Vec<i64> = (0..lb as i64).map(|i| i * i + 1).collect();
        for n in [-3i64, 0, 1, 4, 5, 8, 9, 100, 101] {
            for start in [-2i64, 0, 1, 6] {
                let args = [
                    a.as_ptr() as i64,
                    la as i64,
                    b.as_ptr() as i64,
                    lb as i64,
                    n,
                    start,
                ];
                let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
                assert_eq!(f.call(&args), want, "lengths {la}, {lb}; {start}..{n}");
            }
        }
    }
    // The copy taken when every index is in range loops on one branch, its test at the
    // bottom: no check of either length is left in it.
    let code = &j.code().functions[0].code;
    let lp = innermost_loop(code);
    let branches = lp.iter().filter(|(_, t)| t.starts_with('j')).count();
    assert_eq!(branches, 1, "{lp:#?}");
}

/// A loop that asks in every turn what its function's entry already asked (a front end's
/// call-depth check, `v2 >= 999`, repeated where a builtin is called in the loop) and which
/// way an invariant flag goes although its copy of the loop was entered on that answer
/// (`v3 == 8`, twice): the sum of the words `v0[0..v1]`, doubled where the flag is 8.
const ASKED_AGAIN: &str = "
fn asked_again(i64, i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64):
    v4 = iconst 999
    br_ge v2, v4, block8, block1
block1:
    v5 = iconst 0
    v6 = iconst 8
    br_eq v3, v6, block2(v5, v5), block6(v5, v5)
block2(v7: i64, v8: i64):
    v9 = iconst 999
    br_ge v2, v9, block8, block3
block3:
    v10 = eq v3, v6
    br_lt v7, v1, block4, block5(v8)
block4:
    v11 = iconst 3
    v12 = shl v7, v11
    v13 = add v0, v12
    v14 = load_u64 v13, 0
    v15 = iconst 1
    v16 = select v10, v14, v15
    v17 = add v16, v14
    v18 = add v8, v17
    v19 = add v7, v15
    jump block2(v19, v18)
block5(v20: i64):
    ret v20
block6(v21: i64, v22: i64):
    br_lt v21, v1, block7, block5(v22)
block7:
    v23 = iconst 3
    v24 = shl v21, v23
    v25 = add v0, v24
    v26 = load_u64 v25, 0
    v27 = add v22, v26
    v28 = iconst 1
    v29 = add v21, v28
    jump block6(v29, v27)
block8:
    v30 = iconst -1
    ret v30
}
";

#[test]
fn a_question_a_dominating_branch_answered_is_not_asked_again() {
    let mut m = parse_module(ASKED_AGAIN).unwrap();
    // SAFETY: each call below passes a buffer of v1 words.
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("asked_again").unwrap();
    let id = m.func_id("asked_again").unwrap();
    for n in [0usize, 1, 7, 50] {
        let buf: Vec<i64> = (0..n as i64).map(|i| 5 * i - 11).collect();
        for (depth, flag) in [(0i64, 8i64), (0, 7), (998, 8), (999, 8), (5000, 0)] {
            let args = [buf.as_ptr() as i64, n as i64, depth, flag];
            let want = jit::interp::run(&m, id, &args, 1 << 20).unwrap();
            assert_eq!(f.call(&args), want, "n {n}, depth {depth}, flag {flag}");
        }
    }
    // Both loops turn on one branch each (their tests at the bottom): the depth and the
    // flag are asked once, before them.
    let code = &j.code().functions[0].code;
    let lp = innermost_loop(code);
    let branches = lp.iter().filter(|(_, t)| t.starts_with('j')).count();
    assert_eq!(branches, 1, "{lp:#?}");
    let text = jit::disasm::instructions(code);
    let cmov = text.iter().filter(|t| t.starts_with("cmov")).count();
    assert_eq!(cmov, 0, "{text:#?}");
}

/// The shape a front end gives `for j in range(start, stop, step): buf[j] = 0` (the step
/// known only at run time: its sign asked in every turn; `next = j + step`, or `stop` when
/// that overflows; `j` checked against the buffer's length), then `count` of the nonzero
/// bytes of `buf[0..len]` by `if b != 0: count += 1`. -1 for an index out of range.
const STRIDED: &str = "
fn strided(i64, i64, i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
    v5 = iconst 0
    br_eq v4, v5, block9, block1(v2)
block1(v6: i64):
    br_lt v4, v5, block2, block3
block2:
    br_gt v6, v3, block4, block6
block3:
    br_lt v6, v3, block4, block6
block4:
    add.ovf v6, v4 -> block5, else block10
block10:
    jump block11(v3)
block5(v7: i64):
    jump block11(v7)
block11(v8: i64):
    br_ult v6, v1, block12, block9
block12:
    v9 = add v0, v6
    v10 = iconst 0
    v11 = store_u8 v9, 0, v10
    jump block1(v8)
block6:
    jump block7(v5, v5)
block7(v12: i64, v13: i64):
    br_lt v12, v1, block8, block13(v13)
block8:
    v14 = add v0, v12
    v15 = load_u8 v14, 0
    br_ne v15, v5, block14, block15(v13)
block14:
    v16 = iconst 1
    add.ovf v13, v16 -> block16, else block9
block16(v17: i64):
    jump block15(v17)
block15(v18: i64):
    v19 = iconst 1
    v20 = add v12, v19
    jump block7(v20, v18)
block13(v21: i64):
    ret v21
block9:
    v22 = iconst -1
    ret v22
}
";

/// Every loop of `code`: for each backward branch, the instructions from its target up to
/// it, as text.
fn all_loops(code: &[u8]) -> Vec<Vec<String>> {
    let (lines, back) = backward_branches(code);
    back.into_iter()
        .map(|(at, to)| {
            lines
                .iter()
                .filter(|(a, _)| (to..=at).contains(a))
                .map(|(_, t)| t.clone())
                .collect()
        })
        .collect()
}

#[test]
fn a_strided_loop_and_a_conditional_count_run_without_checks_or_guesses() {
    let mut m = parse_module(STRIDED).unwrap();
    // SAFETY: each call below passes a buffer of v1 bytes; the function touches no byte
    // at or past it (a store's index is checked against v1 first).
    unsafe { m.allow_memory_access() };
    let j = JitModule::new(&m).unwrap();
    let f = j.get("strided").unwrap();
    let id = m.func_id("strided").unwrap();
    let big = i64::MAX;
    for len in [0usize, 1, 2, 7, 64] {
        let l = len as i64;
        for (start, stop, step) in [
            (0, l, 1),
            (2, l, 3),
            (l - 1, -1, -1),
            (l - 1, -3, -2),
            (-1, l, 2),
            (0, l + 5, 1),
            (1, l, big),
            (1, big, big - 1),
            (0, l, 0),
            (l + 2, 0, -1),
            (-big, l, big),
        ] {
            let mut want_buf = vec![1u8; len];
            let mut got_buf = vec![1u8; len];
            let args = |b: &mut Vec<u8>| [b.as_mut_ptr() as i64, l, start, stop, step];
            let want = jit::interp::run(&m, id, &args(&mut want_buf), 1 << 20).unwrap();
            let got = f.call(&args(&mut got_buf));
            let case = format!("len {len}: range({start}, {stop}, {step})");
            assert_eq!(got, want, "{case}");
            assert_eq!(got_buf, want_buf, "{case}");
        }
    }
    let loops = all_loops(&j.code().functions[0].code);
    // The marking loop's copy going up with every index in range: the store, the step
    // (its sum in the index's own register), its overflow test and the test going back.
    let marking = loops
        .iter()
        .filter(|l| l.iter().any(|i| i.starts_with("mov byte")))
        .min_by_key(|l| l.len())
        .expect("a loop that stores bytes");
    assert_eq!(marking.len(), 5, "{marking:#?}");
    // The count asks no question of the byte it reads: its branches are the sum's
    // overflow and the loop's own test.
    let counting = loops
        .iter()
        .find(|l| l.iter().any(|i| i.starts_with("movzx")))
        .expect("a loop that reads bytes");
    let branches: Vec<&String> = counting.iter().filter(|i| i.starts_with('j')).collect();
    assert_eq!(branches.len(), 2, "{counting:#?}");
    assert!(
        branches.iter().any(|b| b.starts_with("jo")),
        "{counting:#?}"
    );
}

/// A module given up for one compile: what nothing else calls is optimized in place, what
/// others call is copied, so that inlining still reads the bodies as they came. The code
/// is byte for byte what the borrowing compile makes, and it runs.
#[test]
fn a_module_given_up_compiles_to_the_same_code() {
    let src = format!(
        "{FIB}{TAK}
fn sq(i64) -> i64 {{
block0(v0: i64):
    v1 = mul v0, v0
    ret v1
}}

fn main(i64) -> i64 {{
block0(v0: i64):
    v1 = call sq(v0)
    v2 = call fib(v1)
    v3 = call sq(v2)
    ret v3
}}
"
    );
    let m = parse_module(&src).unwrap();
    for opts in [
        Options::default(),
        Options {
            verify: false,
            ..Options::default()
        },
        Options {
            inline: false,
            ..Options::default()
        },
        Options {
            optimize: false,
            ..Options::default()
        },
    ] {
        let borrowed = jit::compile_module(&m, opts).unwrap();
        let mut given = m.clone();
        let owned = jit::compile_module_owned(&mut given, opts).unwrap();
        assert_eq!(borrowed.functions.len(), owned.functions.len());
        for (a, b) in borrowed.functions.iter().zip(&owned.functions) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.code, b.code, "{} with {opts:?}", a.name);
        }
        // Every function is back in the module, under its own name.
        assert_eq!(given.functions().count(), m.functions().count());
        for ((_, a), (_, b)) in given.functions().zip(m.functions()) {
            assert_eq!(a.name, b.name);
        }
    }
    let j = JitModule::from_module(m, Options::default()).unwrap();
    let fib = |n: i64| (0..n).fold((0i64, 1i64), |(a, b), _| (b, a + b)).0;
    for n in [0, 1, 2, 3, 4] {
        assert_eq!(
            j.get("main").unwrap().call(&[n]),
            fib(n * n).pow(2),
            "main({n})"
        );
    }
    assert_eq!(j.get("tak").unwrap().call(&[18, 12, 6]), 7);
}
