def describe(n):
    if n > 0:
        kind = "positive"
    elif n < 0:
        kind = "negative"
    return kind


print(describe(5))
print(describe(-2))
print(describe(0))
