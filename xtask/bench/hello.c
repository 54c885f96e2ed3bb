/* The C peer of examples/hello for `cargo xtask bench startup` (glibc and musl, static). */
#include <stdio.h>

int main(void) {
    puts("Hello, world!");
    return 0;
}
