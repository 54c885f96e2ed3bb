//! Compiles the C peers with gcc -O2, whatever the Cargo profile.
fn main() {
    cc::Build::new()
        .file("c/kernels.c")
        .opt_level(2)
        .flag("-fno-omit-frame-pointer")
        .compile("kernels");
    println!("cargo:rerun-if-changed=c/kernels.c");
}
