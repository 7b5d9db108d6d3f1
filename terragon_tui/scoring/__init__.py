"""Pure scoring: components, weights, boosts, profiles, breakdowns, ranking — no I/O."""
