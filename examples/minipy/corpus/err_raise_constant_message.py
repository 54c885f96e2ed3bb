# raise of a builtin exception with a message known when compiling: ahead of time too.
def factorial(n):
    if n < 0:
        raise ValueError("factorial() not defined for negative values")
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


print(factorial(5))
print(factorial(-1))
