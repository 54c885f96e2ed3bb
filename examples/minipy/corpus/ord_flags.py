found = False
done = None
for i in range(10):
    if i * i > 30:
        found = True
        done = i
        break
print(found, done)
if not found:
    print("never")
elif done == None:
    print("odd")
else:
    print("stopped at", done)
