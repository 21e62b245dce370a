"""The engine: sending cases to a target and judging what comes back."""
