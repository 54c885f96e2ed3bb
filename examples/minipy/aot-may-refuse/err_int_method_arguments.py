n = 40
print(n.bit_length())
print(n.bit_length(2))
