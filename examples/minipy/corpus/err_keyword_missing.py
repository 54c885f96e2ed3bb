def volume(w, h, d=1):
    return w * h * d


print(volume(1, h=2))
print(volume(d=5))
