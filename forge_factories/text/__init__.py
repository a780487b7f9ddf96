"""Semantic field specs, requests, the offline generator and reply validation."""
