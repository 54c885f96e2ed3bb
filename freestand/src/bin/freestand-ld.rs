//! `freestand-ld`, installed with cargo-freestand: rustc's linker for freestanding programs
//! (`-C linker=freestand-ld`). The same program as the linker crate's own binary.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(linker::ld::main(args));
}
