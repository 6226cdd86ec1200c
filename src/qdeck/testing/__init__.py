"""Helpers for testing and benchmarking qdeck from the outside (not used by qdeck itself)."""
