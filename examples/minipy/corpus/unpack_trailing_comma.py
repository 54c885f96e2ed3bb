def pair(n):
    print("computing", n)
    return n * 2

a, b = pair(1), pair(2)
print(a, b)
a, b = b, a
print(a, b)
# A trailing comma makes a tuple of one: too few values for two names.
a, b = pair(3),
print("not reached")
