"""Hostile and broken submissions: one module per attack, each saying what a safe grader must do."""
