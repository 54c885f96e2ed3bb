# Generator expressions that sum, any, all, min and max fold, made by code the interpreter
# runs (a function called once, the module): the fold is compiled on its own and entered
# there, over a range (advanced as a copy) or a list, with the cells it reads.
def solve(n):
    return sum(x for x in range(n) if x % 3 == 0 or x % 5 == 0)

def dots(xs, ys):
    return sum(xs[i] * ys[i] for i in range(len(xs)))

print(solve(1000000))
xs = list(range(5000))
print(dots(xs, xs))
k = 7
print(sum(x * k for x in range(200000)), max(x % 1000 for x in xs), min(x - k for x in xs))
it = iter(range(10))
print(any(x > 3 for x in it), list(it))
lst = [3, 1, 2]
itl = iter(lst)
print(sum(x for x in itl), list(itl))
print(sum(x ** 5 for x in range(20000)))
print(all(x < 5000 for x in range(5000)), any(x < 0 for x in range(5000)))
