//! Prints "Hello, world!": one write, one exit_group.
#![no_std]
#![no_main]

rt::entry!(main);

fn main() {
    rt::println!("Hello, world!");
}
