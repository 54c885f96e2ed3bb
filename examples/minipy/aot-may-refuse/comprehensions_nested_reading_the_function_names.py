# Nested comprehensions in a function whose own locals share their variables' names: an
# inner comprehension's own variables are no reads of the outer one (the function's `j`,
# unbound or not, is not passed in).
def main():
    n = 4
    j = 100
    a = [[i * j for j in range(n)] for i in range(n)]
    b = [[i * j + k for j in range(k)] for i in range(n) for k in range(i)]
    c = [[[x + y + z for z in range(2)] for y in range(x)] for x in range(3)]
    d = {i: [j for j in range(i) if j != i] for i in range(4)}
    e = [sum(j for j in range(i)) for i in range(5)]
    f = [[i * j for i in range(j)] for j in range(n)]
    g = [[(x, j) for x in range(2)] for _ in range(2)]
    print(a, b, c, d, e, f, g, j)
    for i in range(2):
        j = i
    print(i, j)
main()
