xs = [1]
print(f"first {xs[3]:>4} done")
