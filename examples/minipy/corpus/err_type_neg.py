print(-None)
