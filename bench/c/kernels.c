/* The C peers of the JIT's code-quality benchmark, compiled with gcc -O2 by build.rs. */
#include <stdint.h>

/* 1 + 2 + ... + n, wrapping like the IR's plain add. */
int64_t c_sum_to(int64_t n) {
    int64_t s = 0;
    for (int64_t i = 1; i <= n; i++) s += i;
    return s;
}

int64_t c_fib(int64_t n) {
    return n < 2 ? n : c_fib(n - 1) + c_fib(n - 2);
}
