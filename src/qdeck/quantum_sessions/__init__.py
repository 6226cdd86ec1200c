"""Quantum sessions and batches: jobs grouped on one backend with IBM Runtime semantics."""
