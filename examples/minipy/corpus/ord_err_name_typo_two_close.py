count_b = 10
count_a = 20
print(count_a + count_b)
# 'count_c' is as close to count_a as to count_b: CPython suggests the name bound first.
print(count_c)
