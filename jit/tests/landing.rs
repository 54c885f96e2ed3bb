//! Calls with a landing ([`jit::ir::Term::Landing`]) and returns to it
//! ([`jit::ir::Term::ReturnToLanding`]): compiled code against the reference interpreter,
//! with a landing router that reads a table filled in once the code is placed.

use jit::text::parse_module;
use jit::{JitModule, Options};

/// `inner(x)` returns to its caller's landing with `x + 1` when `x > 100`, else returns
/// `x` the normal way. `outer` calls it with a landing whose edge adds a million;
/// `plain` calls it without one (a return to the landing is then a normal return);
/// `many` calls a nine-argument function (stack arguments popped on either way back) and
/// keeps values across the call (the landing's edge moves them too); `deep` passes a
/// landed result on to its own caller's landing.
const LANDINGS: &str = "
extern fn router() -> i64

fn inner(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 100
    br_gt v0, v1, block1, block2
block1:
    v2 = iconst 1
    v3 = add v0, v2
    ret_landing v3
block2:
    ret v0
}

fn outer(i64) -> i64 {
block0(v0: i64):
    v1 = call inner(v0)
    landing v1, block1(v1), block2(v1)
block1(v2: i64):
    v3 = iconst 1000000
    v4 = add v2, v3
    ret v4
block2(v5: i64):
    v6 = iconst 3
    v7 = mul v5, v6
    ret v7
}

fn plain(i64) -> i64 {
block0(v0: i64):
    v1 = call inner(v0)
    v2 = iconst 2
    v3 = add v1, v2
    ret v3
}

fn nine(i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i64):
    v9 = add v0, v8
    v10 = sub v9, v7
    v11 = iconst 500
    br_gt v10, v11, block1, block2
block1:
    ret_landing v10
block2:
    ret v10
}

fn many(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = mul v0, v1
    v3 = sub v0, v1
    v4 = call nine(v0, v1, v2, v3, v0, v1, v2, v3, v1)
    landing v4, block1(v4, v2, v3), block2(v3, v4)
block1(v5: i64, v6: i64, v7: i64):
    v8 = iconst 7
    v9 = mul v5, v8
    v10 = add v9, v6
    v11 = sub v10, v7
    ret v11
block2(v12: i64, v13: i64):
    v14 = iconst 11
    v15 = mul v13, v14
    v16 = add v15, v12
    v17 = add v16, v2
    ret v17
}

fn deep(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 5
    v2 = add v0, v1
    v3 = call inner(v2)
    landing v3, block1, block2
block1:
    v4 = iconst 9
    v5 = add v3, v4
    ret_landing v5
block2:
    ret v3
}

fn top(i64) -> i64 {
block0(v0: i64):
    v1 = call deep(v0)
    landing v1, block1, block2
block1:
    v2 = iconst -1
    v3 = mul v1, v2
    ret v3
block2:
    ret v1
}
";

/// (return address, landing) pairs, absolute; a zero return address ends them.
#[unsafe(no_mangle)]
static mut JIT_TEST_LANDINGS: [u64; 128] = [0; 128];

// The router: pops the return address, jumps to its landing if the table has one, else
// returns there (rax, the result, untouched).
core::arch::global_asm!(
    ".globl jit_test_landing_router",
    "jit_test_landing_router:",
    "pop rcx",
    "lea rdx, [rip + JIT_TEST_LANDINGS]",
    "2:",
    "mov rsi, [rdx]",
    "test rsi, rsi",
    "jz 3f",
    "cmp rsi, rcx",
    "je 4f",
    "add rdx, 16",
    "jmp 2b",
    "4:",
    "jmp qword ptr [rdx + 8]",
    "3:",
    "jmp rcx",
);

unsafe extern "C" {
    fn jit_test_landing_router() -> i64;
}

/// The module compiled with `opts` and its landing table filled in.
fn loaded(opts: Options) -> (jit::Module, JitModule) {
    let mut m = parse_module(LANDINGS).unwrap();
    let router = m.host_id("router").unwrap();
    unsafe { m.bind_host("router", jit_test_landing_router as *const () as usize) }.unwrap();
    m.set_landing_router(router);
    let j = JitModule::with_options(&m, opts).unwrap();
    let mut table = Vec::new();
    for (i, f) in j.code().functions.iter().enumerate() {
        let at = j.function(jit::ir::FuncId(i as u32)).addr() as u64;
        for &(ret, landing) in &f.landings {
            table.push((at + ret as u64, at + landing as u64));
        }
    }
    assert!(table.len() < 64);
    // SAFETY: the tests of this file fill the table before they call, one at a time (a
    // lock below), and no code reads it while it is written.
    unsafe {
        let t = &mut *core::ptr::addr_of_mut!(JIT_TEST_LANDINGS);
        t.fill(0);
        for (k, (ret, landing)) in table.into_iter().enumerate() {
            t[2 * k] = ret;
            t[2 * k + 1] = landing;
        }
    }
    (m, j)
}

static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn agree(opts: Options) {
    let _one = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let (m, j) = loaded(opts);
    let inputs: [i64; 9] = [-5, 0, 7, 95, 96, 100, 101, 250, 10_000];
    for name in ["outer", "plain", "deep", "top"] {
        let id = m.func_id(name).unwrap();
        for x in inputs {
            let want = jit::interp::run(&m, id, &[x], 1_000_000).unwrap();
            assert_eq!(
                j.get(name).unwrap().call(&[x]),
                want,
                "{name}({x}) {opts:?}"
            );
        }
    }
    let id = m.func_id("many").unwrap();
    for x in inputs {
        for y in [-3, 1, 2, 40] {
            let want = jit::interp::run(&m, id, &[x, y], 1_000_000).unwrap();
            assert_eq!(j.get("many").unwrap().call(&[x, y]), want, "many({x}, {y})");
        }
    }
}

#[test]
fn landings_agree_with_the_interpreter_optimized_and_inlined() {
    agree(Options::default());
}

#[test]
fn landings_agree_with_the_interpreter_unoptimized() {
    agree(Options {
        optimize: false,
        ..Options::default()
    });
}

#[test]
fn landings_agree_with_the_interpreter_optimized_not_inlined() {
    agree(Options {
        inline: false,
        ..Options::default()
    });
}

#[test]
fn the_interpreter_takes_the_landed_way_exactly_when_the_callee_returns_to_it() {
    let m = parse_module(LANDINGS).unwrap();
    let run = |f: &str, x: i64| jit::interp::run(&m, m.func_id(f).unwrap(), &[x], 10_000);
    assert_eq!(run("outer", 7), Ok(21));
    assert_eq!(run("outer", 101), Ok(1_000_102));
    assert_eq!(run("plain", 101), Ok(104));
    assert_eq!(run("top", 96), Ok(-111));
    assert_eq!(run("top", 90), Ok(95));
}

#[test]
fn a_normal_way_back_costs_no_instruction_after_the_call() {
    let _one = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let (m, j) = loaded(Options {
        inline: false,
        ..Options::default()
    });
    let id = m.func_id("outer").unwrap();
    let code = &j.code().functions[id.0 as usize];
    assert_eq!(code.landings.len(), 1);
    let (ret, landing) = code.landings[0];
    // From the return address to the `ret`, the normal way's own code (the result moved,
    // multiplied, returned): no test of the result, no branch.
    let after = jit::disasm::instructions(&code.code[ret as usize..]);
    let end = after.iter().position(|i| i == "ret").unwrap();
    assert!(
        after[..end]
            .iter()
            .all(|i| !i.starts_with("cmp") && !i.starts_with("test") && !i.starts_with('j')),
        "{after:#?}"
    );
    assert!(landing > ret, "the landing is cold code after the body");
}

#[test]
fn a_return_to_a_landing_without_a_router_is_refused() {
    let m = parse_module(LANDINGS).unwrap();
    let err = JitModule::new(&m).err().expect("refused");
    assert!(err.to_string().contains("landing router"), "{err}");
}

#[test]
fn a_landing_after_anything_but_a_call_is_refused_by_the_verifier() {
    let bad = "
fn f(i64) -> i64 {
block0(v0: i64):
    v1 = iconst 1
    landing v1, block1, block2
block1:
    ret v0
block2:
    ret v1
}
";
    let m = parse_module(bad).unwrap();
    let err = jit::verify::verify_module(&m).unwrap_err();
    assert!(err.to_string().contains("landing"), "{err}");
}

#[test]
fn landing_terminators_print_and_parse_back() {
    let m = parse_module(LANDINGS).unwrap();
    let text = jit::text::module_to_string(&m);
    assert!(
        text.contains("landing v1, block1(v1), block2(v1)"),
        "{text}"
    );
    assert!(text.contains("ret_landing v3"), "{text}");
    let again = parse_module(&text).unwrap();
    assert_eq!(jit::text::module_to_string(&again), text);
}
