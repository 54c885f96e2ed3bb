secret = 73
low, high = 1, 100
guesses = 0
while True:
    guess = (low + high) // 2
    guesses += 1
    if guess < secret:
        print(guess, "is too low")
        low = guess + 1
    elif guess > secret:
        print(guess, "is too high")
        high = guess - 1
    else:
        print("got it:", guess, "after", guesses, "guesses")
        break
