//! Eyra brings its own program startup: no C runtime's.
fn main() {
    println!("cargo:rustc-link-arg=-nostartfiles");
}
