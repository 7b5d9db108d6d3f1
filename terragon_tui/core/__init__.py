"""What every layer shares: errors, terminal-safe text, nesting limits, the vocabulary of
items, and periods of time. It imports nothing else of the package."""
