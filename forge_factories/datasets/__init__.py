"""Datasets: column samplers (and, as the layout moves, streams, exports and database seeding)."""
