fn main() {
    rt::build::link_freestanding();
}
