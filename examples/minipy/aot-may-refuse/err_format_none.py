x = None
print(f"v={x:>5}")
