# An ordinary script written at the top level, no main(): its loops run in the module code
# and their variables are globals. The JIT compiles each loop from its head as the loop of
# the module code as a function, the globals only the module assigns as its locals, and
# hands them back at each print.
n = 3000000
print("summing", n, "terms")
total = 0
for i in range(n):
    total += i * i % 7
print("total:", total)
threes = 0
k = 0
while k < n:
    if k % 3 == 0:
        threes += 1
    k += 1
print(f"multiples of 3: {threes}")
squares = [i * i for i in range(1000)]
acc = 0
for rep in range(1, 301):
    for s in squares:
        acc += s % rep
print("acc", acc)
