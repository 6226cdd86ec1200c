"""The ``qdeck`` command line."""
