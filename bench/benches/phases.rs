//! Where compile time goes, phase by phase (a diagnostic for `cargo bench --bench phases`).
include!("jit_synthetic.rs");

fn main() {
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
        let mut pass_t = [std::time::Duration::ZERO; 6];
        let mut iters = 0;
        for f in &mut funcs {
            for _ in 0..8 {
                let mut changed = false;
                let s = Instant::now();
                changed |= jit::passes::fold_constants(f);
                pass_t[0] += s.elapsed();
                let s = Instant::now();
                changed |= jit::passes::propagate_copies(f);
                pass_t[1] += s.elapsed();
                let s = Instant::now();
                changed |= jit::passes::simplify_block_params(f);
                pass_t[2] += s.elapsed();
                let s = Instant::now();
                changed |= jit::passes::eliminate_dead_code(f);
                pass_t[3] += s.elapsed();
                iters += 1;
                if !changed {
                    break;
                }
            }
            let s = Instant::now();
            jit::passes::fuse_compare_branch(f);
            pass_t[4] += s.elapsed();
        }
        let opt = t.elapsed();
        println!(
            "passes (fold, copies, params, dce, fuse): {:?}; {iters} iterations",
            pass_t
        );
        let t = Instant::now();
        for f in &funcs {
            black_box(jit::regalloc::allocate(f));
        }
        let ra = t.elapsed();
        let t = Instant::now();
        let mut n = 0;
        for f in &funcs {
            n += jit::codegen::compile_function(f, &m).unwrap().instructions;
        }
        let cg = t.elapsed();
        let t = Instant::now();
        black_box(JitModule::new(&m).unwrap());
        let all = t.elapsed();
        let per = |d: std::time::Duration| d.as_nanos() as f64 / n as f64;
        println!(
            "{count}x{ops}: {n} instrs; verify {:.0} opt {:.0} regalloc {:.0} codegen(incl. regalloc) {:.0} total {:.0} ns/instr",
            per(verify),
            per(opt),
            per(ra),
            per(cg),
            per(all)
        );
    }
}

#[allow(dead_code)]
fn per_pass() {}
