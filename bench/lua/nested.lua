-- The Lua twin of bench/py/nested.py (LuaJIT's bit library: 32-bit operations, enough here).
local band, bxor = bit.band, bit.bxor
local function nested(n)
  local s = 0
  for i = 0, n - 1 do
    for j = 0, n - 1 do s = s + band(bxor(i, j), 255) end
  end
  return s
end
print(string.format("%d", nested(4000)))
