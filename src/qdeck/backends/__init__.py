"""Backends: the ideal simulator, every IBM fake device, and IBM Quantum hardware."""
