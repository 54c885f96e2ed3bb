-- The Lua twin of bench/py/ackermann.py.
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
local function rep(times)
  local total = 0
  for i = 0, times - 1 do total = total + ack(2, i % 300) + ack(3, i % 7) end
  return total
end
print(string.format("%d", rep(300)))
