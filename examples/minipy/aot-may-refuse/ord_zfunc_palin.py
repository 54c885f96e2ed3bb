def z_function(s):
    n = len(s)
    z = [0] * n
    l = r = 0
    for i in range(1, n):
        if i < r:
            z[i] = min(r - i, z[i - l])
        while i + z[i] < n and s[z[i]] == s[i + z[i]]:
            z[i] += 1
        if i + z[i] > r:
            l, r = i, i + z[i]
    return z


def longest_palindrome(s):
    best = ""
    for center in range(len(s)):
        for lo, hi in ((center, center), (center, center + 1)):
            while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
                lo -= 1
                hi += 1
            if hi - lo - 1 > len(best):
                best = s[lo + 1:hi]
    return best


print(z_function("aabxaabxcaabxaabxay"))
for s in ["babad", "cbbd", "forgeeksskeegfor", "a", "", "abacdfgdcaba", "racecar level"]:
    p = longest_palindrome(s)
    print(repr(s), "->", repr(p), p == p[::-1])
sentence = "A man, a plan, a canal: Panama"
clean = "".join(ch.lower() for ch in sentence if ch.isalnum())
print(clean, clean == clean[::-1])
