def is_palindrome(s):
    cleaned = "".join(c for c in s.lower() if c.isalpha())
    return cleaned == cleaned[::-1]


def caesar(text, shift):
    out = []
    for ch in text:
        if ch.isalpha():
            base = ord("a") if ch.lower() == ch else ord("A")
            out.append(chr((ord(ch) - base + shift) % 26 + base))
        else:
            out.append(ch)
    return "".join(out)


for phrase in ["racecar", "A man a plan a canal Panama", "hello"]:
    print(phrase, is_palindrome(phrase))
secret = caesar("Attack at Dawn", 3)
print(secret, caesar(secret, -3))
n = 2 ** 100
digits = str(n)
print(digits, len(digits), sum(int(d) for d in digits))
print(digits[:5], digits[-5:], digits.count("7"), digits.find("37"), digits.find("xyz"))
line = "  alpha, beta ,gamma  "
parts = [p.strip() for p in line.split(",")]
print(parts, "|".join(parts).upper(), line.strip().replace(" ", ""))
print("abc" < "abd", "b" > "abc", "x" * 3, "ab" + "cd", "bc" in "abcd")
print("hello world".title(), "Hello".startswith("He"), "Hello".endswith(("lo", "x")))
print(repr("it's"), repr('say "hi"'), str(12), str(True), str(None))
