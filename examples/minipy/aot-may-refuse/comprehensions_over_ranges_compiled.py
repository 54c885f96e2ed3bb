# Comprehensions over ranges, called often enough to be compiled: the range's iterator is
# the comprehension's argument. Compiled code advances a copy of it, so when an item
# overflows 64 bits partway (the compiled code gives up), the interpreter goes on from the
# same place and no item is lost or made twice.

n = 60
rows = [[(i * j + 1) % 17 for j in range(n)] for i in range(n)]
print(sum(sum(r) for r in rows), rows[7][42], rows[59][:5])

squares = [[k * k for k in range(i)] for i in range(200)]
print(len(squares), sum(len(s) for s in squares), squares[199][-1])

# Items that outgrow 64 bits in the middle of a row, in the rows after 150.
big = [[j << (i // 3) for j in range(8)] for i in range(200)]
print(big[150][7], big[199][7], sum(big[199]), sum(len(r) for r in big), big[183])

# A step, a negative step, an empty range.
stepped = [[j for j in range(i, 3 * i, 3)] for i in range(120)]
print(stepped[119][:4], sum(len(s) for s in stepped))
down = [[j for j in range(i, -i, -2)] for i in range(120)]
print(down[119][-3:], sum(map(len, down)))
print([[j for j in range(0)] for _ in range(3)])

# A dict and a set comprehension over a range, beside the list ones.
d = [{j: j % 5 for j in range(i)} for i in range(150)]
print(len(d[149]), d[149][148])
s = [{j % 7 for j in range(i)} for i in range(150)]
print(sorted(s[149]))
