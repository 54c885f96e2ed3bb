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

    let plain = JitModule::with_options(
        &m,
        Options {
            optimize: false,
            ..Options::default()
        },
    )
    .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let opt = JitModule::with_options(
        &m,
        Options {
            optimize: true,
            ..Options::default()
        },
    )
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

#[test]
fn mangled_text_is_rejected_cleanly_or_compiles() {
    // Random damage to valid module texts: the parser and verifier answer with an error
    // (never a panic), and whatever they accept compiles.
    let mut rng = Rng(99);
    let mut accepted = 0;
    for seed in 0..150 {
        let text = module_to_string(&random_module(seed));
        for _ in 0..6 {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let i = rng.index(lines.len());
            match rng.index(5) {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let l = lines[i].clone();
                    lines.insert(rng.index(lines.len()), l);
                }
                2 => {
                    lines[i] = lines[i].replacen(
                        |c: char| c.is_ascii_digit(),
                        &rng.index(40).to_string(),
                        1,
                    )
                }
                3 => {
                    let words: Vec<&str> = lines[i].split(' ').collect();
                    let k = rng.index(words.len());
                    lines[i] = words
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != k)
                        .map(|(_, w)| *w)
                        .collect::<Vec<_>>()
                        .join(" ");
                }
                _ => lines[i] = lines[i].replace("i64", "bool"),
            }
            let mangled = lines.join("\n");
            let Ok(mut m) = parse_module(&mangled) else {
                continue;
            };
            for h in common::random_module(0).hosts() {
                let _ = unsafe { m.bind_host(&h.name, h.addr) };
            }
            if jit::verify::verify_module(&m).is_ok() {
                JitModule::new(&m)
                    .unwrap_or_else(|e| panic!("verified but failed to compile: {e}\n{mangled}"));
                accepted += 1;
            }
        }
    }
    assert!(accepted > 0);
}
