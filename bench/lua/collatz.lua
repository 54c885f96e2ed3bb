-- The Lua twin of bench/py/collatz.py.
local function collatz_len(n)
  local steps = 1
  while n ~= 1 do
    if n % 2 == 0 then n = math.floor(n / 2) else n = 3 * n + 1 end
    steps = steps + 1
  end
  return steps
end
local function longest(limit)
  local best, best_n = 0, 0
  for n = 1, limit - 1 do
    local s = collatz_len(n)
    if s > best then best, best_n = s, n end
  end
  return best_n * 1000 + best
end
print(string.format("%d", longest(300000)))
