// The Rust std peer of examples/hello for `cargo xtask bench startup`.
fn main() {
    println!("Hello, world!");
}
