"""Encrypted-at-rest storage for secrets users hand to qdeck (IBM Quantum token, OpenAI key)."""
