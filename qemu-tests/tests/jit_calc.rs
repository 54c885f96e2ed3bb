//! jit-calc against python3: expressions (hand-picked edges plus seeded random ones) run
//! natively and under qemu-x86_64; stdout, stderr and status must be what Python's own
//! evaluation says, with jit-calc's 64-bit rule (any value outside i64 is an overflow).

use qemu_tests::{Exec, Rng, runners};
use std::io::Write;
use std::process::{Command, Stdio};

/// Evaluates each `expr<TAB>x` line with Python's ast, checking every intermediate value.
const ORACLE: &str = r#"
import ast, operator, sys
LO, HI = -2**63, 2**63 - 1
class Overflow(Exception): pass
def chk(v):
    if not LO <= v <= HI: raise Overflow()
    return v
OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
       ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.LShift: operator.lshift,
       ast.RShift: operator.rshift, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
       ast.BitXor: operator.xor}
def lshift(a, b):
    # Python would build a huge int (or run out of memory) first; the answer is plain.
    if b >= 0 and a != 0 and b > 64: raise Overflow()
    return a << b
OPS[ast.LShift] = lshift
def ev(n, x):
    if isinstance(n, ast.Constant): return chk(n.value)
    if isinstance(n, ast.Name): return x
    if isinstance(n, ast.UnaryOp):
        v = ev(n.operand, x)
        return chk({ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}[type(n.op)](v))
    if isinstance(n, ast.BinOp):
        a = ev(n.left, x); b = ev(n.right, x)
        return chk(OPS[type(n.op)](a, b))
    raise SyntaxError("outside the subset")
for line in sys.stdin.read().splitlines():
    expr, x = line.split("\t")
    try:
        tree = ast.parse(expr, mode="eval")
        print("OK", ev(tree.body, int(x)))
    except SyntaxError: print("SYNTAX")
    except Overflow: print("ERR integer overflow")
    except ZeroDivisionError: print("ERR division by zero")
    except ValueError as e: print("ERR", e)
"#;

fn python_says(cases: &[(String, i64)]) -> Vec<String> {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(ORACLE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is the oracle for jit-calc and must be installed");
    let input: String = cases.iter().map(|(e, x)| format!("{e}\t{x}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the python oracle failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn random_expr(r: &mut Rng, depth: u32) -> String {
    if depth == 0 || r.below(4) == 0 {
        return match r.below(6) {
            0 | 1 => "x".into(),
            2 => format!("{}", r.below(20)),
            3 => format!("{}", r.next_u64() % (1 << 40)),
            4 => format!("0x{:x}", r.below(1 << 20)),
            _ => [
                "0b1011",
                "0o17",
                "1_000",
                "9223372036854775807",
                "3",
                "64",
                "63",
            ][r.below(7) as usize]
                .into(),
        };
    }
    match r.below(10) {
        0 => format!("-{}", random_expr(r, depth - 1)),
        1 => format!("~{}", random_expr(r, depth - 1)),
        2 => format!("({})", random_expr(r, depth - 1)),
        _ => {
            let op = [
                "+", "-", "*", "//", "%", "<<", ">>", "&", "|", "^", "+", "*", "-",
            ][r.below(13) as usize];
            let space = if r.below(2) == 0 { " " } else { "" };
            format!(
                "{}{space}{op}{space}{}",
                random_expr(r, depth - 1),
                random_expr(r, depth - 1)
            )
        }
    }
}

#[test]
fn jit_calc_agrees_with_python() {
    let hand = [
        "(x + 3) * x // 2",
        "-7 // 2",
        "-7 % 3",
        "7 % -3",
        "x // -3",
        "x % 0",
        "x // (x - x)",
        "1 << 63",
        "-1 << 63",
        "x << 64",
        "0 << 100",
        "x >> 100",
        "-x >> 100",
        "x >> -1",
        "x << -1",
        "9223372036854775807 + 1",
        "-9223372036854775807 - 1",
        "-9223372036854775808",
        "(-9223372036854775807 - 1) // -1",
        "(-9223372036854775807 - 1) % -1",
        "~x",
        "-~x",
        "x & 0xff | 0b1 ^ 0o7",
        "1 + 2 * 3 << 2 & 0xf0 | 1",
        "2 + +3",
        "x*x*x*x*x*x*x*x*x*x",
        "1_000_000 * x",
        "((((x))))",
    ];
    let xs = [0i64, 1, -1, 7, -13, 1 << 40, i64::MAX, i64::MIN];
    let mut cases: Vec<(String, i64)> = Vec::new();
    for e in hand {
        for &x in &xs {
            cases.push((e.to_string(), x));
        }
    }
    let mut r = Rng(2026);
    for _ in 0..150 {
        let e = random_expr(&mut r, 4);
        let x = xs[r.below(xs.len() as u64) as usize];
        cases.push((e, x));
    }
    let expected = python_says(&cases);
    let runners = runners();
    let mut checked = 0;
    for ((expr, x), want) in cases.iter().zip(&expected) {
        let (stdout, stderr, code) = match want.split_once(' ') {
            Some(("OK", v)) => (format!("{v}\n"), String::new(), 0),
            Some(("ERR", msg)) => (String::new(), format!("jit-calc: {msg}\n"), 1),
            _ => panic!("the generator made something outside the subset: {expr} ({want})"),
        };
        // Natively for every case; under QEMU for every fourth (QEMU start-up is slow).
        for r in runners.iter().take(if checked % 4 == 0 { 2 } else { 1 }) {
            Exec::new(qemu_tests::example("jit-calc"))
                .arg(expr)
                .arg(x.to_string())
                .run(r)
                .assert(&stdout, &stderr, code);
        }
        checked += 1;
    }
    assert!(checked >= 300);
}

/// Nesting past 1,000 levels is a syntax error naming the column, never a stack overflow
/// (5,748 nested parentheses used to segfault); 1,000 levels still compute.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep_parens = format!("{}1{}", "(".repeat(5748), ")".repeat(5748));
    let long_sum = vec!["x"; 20_000].join("+");
    let deep_neg = format!("{}1", "-".repeat(5000));
    for r in runners() {
        for (expr, col) in [(&deep_parens, 1001), (&long_sum, 2000), (&deep_neg, 1001)] {
            let got = Exec::new(qemu_tests::example("jit-calc"))
                .arg(expr.as_str())
                .arg("3")
                .run(&r);
            assert_eq!(got.code(), Some(1), "{} on {}", &expr[..20], r.name());
            let first = got.stderr_str().lines().next().unwrap_or("").to_string();
            assert_eq!(
                first,
                format!(
                    "jit-calc: syntax error at column {col}: the expression nests more than \
                     1000 levels deep"
                ),
                "{} on {}",
                &expr[..20],
                r.name()
            );
        }
        // Just inside the limit: computed.
        let ok = format!("{}x+1{}", "(".repeat(998), ")".repeat(998));
        Exec::new(qemu_tests::example("jit-calc"))
            .args([ok.as_str(), "5"])
            .run(&r)
            .assert("6\n", "", 0);
        let sum = vec!["x"; 1000].join("+");
        Exec::new(qemu_tests::example("jit-calc"))
            .args([sum.as_str(), "3"])
            .run(&r)
            .assert("3000\n", "", 0);
    }
}

#[test]
fn syntax_errors_name_the_column() {
    let cases = [
        ("2 +* 3", 4, "expected a number, `x` or `(`"),
        (
            "x / 2",
            3,
            "`/` is true division, which integers do not have here: use `//`",
        ),
        ("x ** 2", 3, "`**` is not supported"),
        ("(x + 1", 7, "expected `)`"),
        ("x 1", 3, "unexpected input after the expression"),
        ("y + 1", 1, "expected a number, `x` or `(`"),
        (
            "012",
            1,
            "leading zeros in decimal integer literals are not permitted",
        ),
        ("0x", 1, "invalid integer literal"),
        ("", 1, "unexpected end of the expression"),
    ];
    for r in runners() {
        for (expr, col, msg) in cases {
            let caret = format!("{:>width$}", "^", width = col);
            Exec::new(qemu_tests::example("jit-calc"))
                .arg(expr)
                .arg("1")
                .run(&r)
                .assert(
                    "",
                    &format!(
                        "jit-calc: syntax error at column {col}: {msg}\n  {expr}\n  {caret}\n"
                    ),
                    1,
                );
        }
        Exec::new(qemu_tests::example("jit-calc"))
            .arg("x")
            .run(&r)
            .assert(
                "",
                "usage: jit-calc EXPR X   (e.g. jit-calc '(x + 3) * x // 2' 10)\n",
                2,
            );
        Exec::new(qemu_tests::example("jit-calc"))
            .args(["x", "1.5"])
            .run(&r)
            .assert(
                "",
                "jit-calc: X must be a decimal integer that fits in 64 bits\n",
                2,
            );
    }
}
