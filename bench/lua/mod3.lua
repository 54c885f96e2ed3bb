-- The Lua twin of bench/py/mod3.py (Lua's % is floor modulo, as Python's).
local function mod_sum(n)
  local total = 0
  for i = 0, n - 1 do total = total + i % 3 end
  return total
end
print(string.format("%d", mod_sum(30000000)))
