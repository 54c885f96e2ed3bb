-- The Lua twin of bench/py/primes.py.
local function is_prime(n)
  if n < 2 then return false end
  local d = 2
  while d * d <= n do
    if n % d == 0 then return false end
    d = d + 1
  end
  return true
end
local function count_primes(limit)
  local count = 0
  for n = 0, limit - 1 do
    if is_prime(n) then count = count + 1 end
  end
  return count
end
print(string.format("%d", count_primes(300000)))
