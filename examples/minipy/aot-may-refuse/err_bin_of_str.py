print(bin(10), hex(255), oct(8), bin(-5), hex(0), hex(2**70))
print(bin("x"))
