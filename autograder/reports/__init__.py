"""Outputs, each rendered from Reports (and so from the same per-check records)."""
