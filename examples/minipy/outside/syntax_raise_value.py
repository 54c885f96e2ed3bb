error = ValueError
raise error
