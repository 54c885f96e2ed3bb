done = False
print("done?", done)
done()
