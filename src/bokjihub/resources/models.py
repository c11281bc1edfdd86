"""Models of the resources app."""
