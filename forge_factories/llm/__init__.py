"""Asking language models: the request protocol, planner, answer validation and providers."""
