//! Hundreds of seeded random IR modules: verified, round-tripped through the text form, and
//! run compiled (with and without optimization) against the reference interpreter on edge
//! inputs.

mod common;

use common::*;
use jit::text::{module_to_string, parse_module};
use jit::{JitModule, Options, interp};

const FUEL: u64 = 5_000_000;

fn check(seed: u64) {
    let m = random_module(seed);
    jit::verify::verify_module(&m).unwrap_or_else(|e| {
        panic!(
            "seed {seed}: generator made invalid IR: {e}\n{}",
            module_to_string(&m)
        )
    });
    // Text form: print, parse, print again — identical.
    let text = module_to_string(&m);
    let mut back = parse_module(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
    for h in m.hosts() {
        unsafe { back.bind_host(&h.name, h.addr).unwrap() };
    }
    assert_eq!(
        module_to_string(&back),
        text,
        "seed {seed}: text round trip"
    );

    let plain = JitModule::with_options(&m, Options { optimize: false })
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let opt = JitModule::with_options(&m, Options { optimize: true })
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let mut rng = Rng(seed ^ 0x5555);
    for (id, f) in m.functions() {
        for _ in 0..6 {
            let args = random_args(&mut rng, &f.sig.params);
            let want = interp::run(&m, id, &args, FUEL)
                .unwrap_or_else(|t| panic!("seed {seed}: interpreter {t:?}"));
            let got = plain.function(id).call(&args);
            assert_eq!(
                got, want,
                "seed {seed} {}({args:?}) unoptimized\n{text}",
                f.name
            );
            let got = opt.function(id).call(&args);
            assert_eq!(
                got, want,
                "seed {seed} {}({args:?}) optimized\n{text}",
                f.name
            );
        }
    }
}

#[test]
fn three_hundred_random_modules_agree_with_the_interpreter() {
    for seed in 0..300 {
        check(seed);
    }
}
