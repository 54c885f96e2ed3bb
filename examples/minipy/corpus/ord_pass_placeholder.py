def not_done_yet():
    pass


for i in range(3):
    if i == 1:
        pass
    else:
        print(i)
print(not_done_yet())
