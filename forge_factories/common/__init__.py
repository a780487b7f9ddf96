"""Foundations every layer may use: errors, settings, seeds, atomic files, progress."""
