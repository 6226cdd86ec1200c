"""Quantum Quest: tutorials, the gate simulator and auto-graded challenges."""
