"""Models of the shopping app (MongoDB)."""
