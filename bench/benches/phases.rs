//! Where compile time goes, phase by phase: `cargo bench -p freestand-bench --bench phases`.

use freestand_bench::synthetic::synthetic;
use jit::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOC: rt::heap::RtAlloc = rt::heap::RtAlloc::new();

fn main() {
    if std::env::args().any(|a| a == "--compile-only") {
        return compile_only();
    }
    for (count, ops) in [(2000usize, 10usize), (40, 1000)] {
        let mut m = Module::new();
        for i in 0..count {
            m.add(synthetic(&format!("f{i}"), ops, i as u64));
        }
        let t = Instant::now();
        jit::verify::verify_module(&m).unwrap();
        let verify = t.elapsed();
        let mut funcs: Vec<Function> = m.functions().map(|(_, f)| f.clone()).collect();
        let t = Instant::now();
        for f in &mut funcs {
            jit::passes::optimize(f);
        }
        let opt = t.elapsed();
        let t = Instant::now();
        for f in &funcs {
            black_box(jit::regalloc::allocate(f));
        }
        let regalloc = t.elapsed();
        let t = Instant::now();
        let mut n = 0;
        for f in &funcs {
            n += jit::codegen::compile_function(f, &m).unwrap().instructions;
        }
        let codegen = t.elapsed().saturating_sub(regalloc);
        let t = Instant::now();
        black_box(JitModule::new(&m).unwrap());
        let total = t.elapsed();
        let per = |d: Duration| d.as_nanos() as f64 / n as f64;
        println!(
            "{count} functions of ~{ops} ops, {n} machine instructions: ns per instruction — verify {:.0}, optimize {:.0}, regalloc {:.0}, emit {:.0}; end to end {:.0}",
            per(verify),
            per(opt),
            per(regalloc),
            per(codegen),
            per(total)
        );
    }
}

/// `phases --compile-only [small|large] [--build-only] [--verify] [--baseline]`: one
/// tier over each module of synthetic functions, once, for `valgrind --tool=callgrind`
/// (`cargo xtask bench jit` does this): the optimizing tier without the verifier as
/// minipy's release JIT runs it, by default. With `--build-only` the same modules are
/// built and not compiled: the difference of the two counts is the compile's, and that
/// divided by the machine instructions printed is the portable compile-speed figure.
fn compile_only() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let only = |ops: usize| !(flag("small") && ops > 10 || flag("large") && ops == 10);
    let opts = Options {
        verify: flag("--verify"),
        optimize: !flag("--baseline"),
        ..Options::default()
    };
    let mut total = 0;
    for (count, ops) in [(2000usize, 10usize), (40, 1000)] {
        if !only(ops) {
            continue;
        }
        let mut m = Module::new();
        for i in 0..count {
            m.add(synthetic(&format!("f{i}"), ops, i as u64));
        }
        if flag("--build-only") {
            black_box(&m);
            continue;
        }
        let j = black_box(JitModule::from_module(m, opts).unwrap());
        let n: usize = j.code().functions.iter().map(|f| f.instructions).sum();
        // FNV-1a over every function's bytes: a change meant to leave the code alone
        // (compile speed) must leave this alone.
        let hash = j
            .code()
            .functions
            .iter()
            .flat_map(|f| &f.code)
            .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
        println!(
            "{count} functions of ~{ops} ops: {n} machine instructions, code hash {hash:016x}"
        );
        total += n;
    }
    println!("{total} machine instructions in all");
}
