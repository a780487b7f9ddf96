"""Large outputs: column-wise plans, streams, exports, SQL and database seeding."""
