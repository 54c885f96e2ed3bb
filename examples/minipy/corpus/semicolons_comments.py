a = 1; b = 2; c = a + b  # comment
print(a, b, c);
# a full-line comment

   # indented comment
print((a +
       b +
       c))
d = a \
    + b
print(d)
