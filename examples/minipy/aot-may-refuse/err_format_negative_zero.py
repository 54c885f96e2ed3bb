balance = -0
print(f"{balance:z}")
