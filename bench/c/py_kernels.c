/* C versions of bench/py/*.py, compiled with gcc -O2 by `cargo xtask bench py`:
 * kernel name as argv[1]. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static int64_t fib(int64_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int64_t add_to_n(int64_t n) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) total += i;
    return total;
}

static int64_t collatz_len(int64_t n) {
    int64_t steps = 1;
    while (n != 1) {
        n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
        steps++;
    }
    return steps;
}

static int64_t longest(int64_t limit) {
    int64_t best = 0, best_n = 0;
    for (int64_t n = 1; n < limit; n++) {
        int64_t s = collatz_len(n);
        if (s > best) { best = s; best_n = n; }
    }
    return best_n * 1000 + best;
}

static int is_prime(int64_t n) {
    if (n < 2) return 0;
    for (int64_t d = 2; d * d <= n; d++)
        if (n % d == 0) return 0;
    return 1;
}

static int64_t count_primes(int64_t limit) {
    int64_t c = 0;
    for (int64_t n = 0; n < limit; n++) c += is_prime(n);
    return c;
}

static int64_t nested(int64_t n) {
    int64_t s = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) s += (i ^ j) & 255;
    return s;
}

static int64_t tak(int64_t x, int64_t y, int64_t z) {
    return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

static int64_t ack(int64_t m, int64_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static int64_t repeat_ack(int64_t times) {
    int64_t total = 0;
    for (int64_t i = 0; i < times; i++) total += ack(2, i % 300) + ack(3, i % 7);
    return total;
}

static int64_t mod_sum(int64_t n) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) total += i % 3;
    return total;
}

/* bench/py/objects/sieve.py: a byte per flag. */
static int64_t sieve(int64_t n) {
    static unsigned char flags[10000000];
    memset(flags, 1, (size_t)n);
    flags[0] = flags[1] = 0;
    for (int64_t i = 2; i * i < n; i++)
        if (flags[i])
            for (int64_t j = i * i; j < n; j += i) flags[j] = 0;
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) count += flags[i];
    return count;
}

/* bench/py/objects/matmul.py: 100x100 int64 matrices, the product five times. */
#define MN 100
static int64_t ma[MN][MN], mb[MN][MN], mc[MN][MN];

static void matmul(void) {
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) mc[i][j] = 0;
    for (int i = 0; i < MN; i++)
        for (int k = 0; k < MN; k++) {
            int64_t aik = ma[i][k];
            for (int j = 0; j < MN; j++) mc[i][j] += aik * mb[k][j];
        }
}

static void matmul_main(void) {
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = (i * j + 1) % 17;
            mb[i][j] = (i + 2 * j) % 13;
        }
    for (int r = 0; r < 5; r++) matmul();
    int64_t total = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) total += mc[i][j];
    printf("%lld %lld\n", (long long)total, (long long)mc[7][42]);
}

int main(int argc, char **argv) {
    const char *k = argc > 1 ? argv[1] : "";
    int64_t r;
    if (!strcmp(k, "fib")) r = fib(32);
    else if (!strcmp(k, "add_to_n")) r = add_to_n(100000000);
    else if (!strcmp(k, "collatz")) r = longest(300000);
    else if (!strcmp(k, "primes")) r = count_primes(300000);
    else if (!strcmp(k, "nested")) r = nested(4000);
    else if (!strcmp(k, "tak")) r = tak(26, 18, 9);
    else if (!strcmp(k, "ackermann")) r = repeat_ack(300);
    else if (!strcmp(k, "mod3")) r = mod_sum(30000000);
    else if (!strcmp(k, "sieve")) r = sieve(10000000);
    else if (!strcmp(k, "matmul")) { matmul_main(); return 0; }
    else { fprintf(stderr, "unknown kernel %s\n", k); return 2; }
    printf("%lld\n", (long long)r);
    return 0;
}
