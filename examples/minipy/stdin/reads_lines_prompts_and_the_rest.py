import sys
n = int(input())
nums = list(map(int, input().split()))
print(n, sum(nums), max(nums))
name = input("name? ")
print(f"hello, {name}!")
first = sys.stdin.readline()
print(repr(first))
for i, line in enumerate(sys.stdin):
    print(i, line.rstrip("\n").upper())
    if i == 1:
        break
rest = sys.stdin.read()
print(repr(rest))
print(sys.stdin.readlines(), repr(sys.stdin.read()), repr(sys.stdin.readline()))
print(sys.stdout.write("written\n"))
sys.stdout.flush()
input()
