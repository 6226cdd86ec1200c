"""qdeck: one dashboard for quantum jobs across simulators and IBM Quantum."""

__version__ = "0.1.0"
