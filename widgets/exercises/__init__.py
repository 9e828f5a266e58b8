"""Exercises: the reusable exercise widgets (scale forms, defusion, values and goal cards, mood, mindfulness, step navigator)."""
