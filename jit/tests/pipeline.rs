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
    assert!(text[0].starts_with("push "), "{listing}");
    assert!(text.iter().any(|i| i.starts_with("call ")), "{listing}");
    assert!(
        text.iter().any(|i| i.starts_with("jo ")),
        "the checked add: {listing}"
    );
    assert!(listing.lines().count() == text.len());
}
