if 1:
	if 1:
		print(1)
	print(2)
print(3)
