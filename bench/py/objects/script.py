# An ordinary script: main() runs its loops and prints between them. The prints and the
# strings are what compiled code does not do: it stops at each and the interpreter goes on,
# and each loop after one is compiled from its own head.
def main():
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


if __name__ == "__main__":
    main()
