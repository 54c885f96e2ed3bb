print(None // 2)
