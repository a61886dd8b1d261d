"""Models of the payments app (MongoDB)."""
