"""Quantum jobs: submission, lifecycle, results, export."""
