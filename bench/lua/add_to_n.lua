-- The Lua twin of bench/py/add_to_n.py.
local function add_to_n(n)
  local total = 0
  for i = 0, n - 1 do total = total + i end
  return total
end
print(string.format("%d", add_to_n(10 ^ 8)))
