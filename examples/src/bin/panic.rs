//! Prints a line to stdout, then panics with a formatted message: the report goes to stderr
//! after stdout is flushed, and the exit status is 101.
#![no_std]
#![no_main]

rt::entry!(main);

fn main() {
    let argc = rt::env::args().len();
    rt::println!("about to panic");
    panic!("boom: {} arguments, {:?}", argc, [1, 2, 3]);
}
