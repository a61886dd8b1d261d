"""Models of the orders app (MongoDB)."""
