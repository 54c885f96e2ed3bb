//! `freestand-ld`: rustc's linker for freestanding programs (`-C linker=freestand-ld`).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(linker::ld::main(args));
}
