words = ["pear", "fig", "banana", "kiwi", "apple", "plum"]
print(max(words, key=len), min(words, key=len))


def last_letter(w):
    return w[-1]


print(max(words, key=last_letter), min(words, key=last_letter))
scores = {"ann": 7, "bob": 9, "cid": 9, "dee": 3}
print(max(scores.items()))


def score(name):
    return scores[name]


print(max(scores, key=score), min(scores, key=score))
print(max([(1, "b"), (1, "a")], key=len), min(range(10), key=abs))
print(max([], key=len))
