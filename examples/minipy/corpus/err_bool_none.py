print(True & None)
