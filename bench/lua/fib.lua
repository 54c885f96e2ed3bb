-- The Lua twin of bench/py/fib.py (LuaJIT numbers are doubles: every value here is exact).
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(string.format("%d", fib(32)))
