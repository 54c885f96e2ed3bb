x = "bits"
print(1)
print(~x)
