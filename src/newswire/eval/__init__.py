"""Scorers that measure newswire against gold data (each module: evaluate + render)."""
