stack = {"a": 1}
print(stack.popitem())
print(stack.popitem())
