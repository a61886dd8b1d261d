"""Models of the promotions app (MongoDB)."""
