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

int64_t c_tak(int64_t x, int64_t y, int64_t z) {
    return y < x ? c_tak(c_tak(x - 1, y, z), c_tak(y - 1, z, x), c_tak(z - 1, x, y)) : z;
}

int64_t c_ack(int64_t m, int64_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return c_ack(m - 1, 1);
    return c_ack(m - 1, c_ack(m, n - 1));
}

/* total += i % 3 for i in 0..n (floor modulo, as Python's; i is never negative here). */
int64_t c_mod_sum(int64_t n) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) total += i % 3;
    return total;
}
