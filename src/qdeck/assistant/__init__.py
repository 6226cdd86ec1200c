"""The assistant: an offline analyzer of circuits, results, failures and team history.

Everything here is deterministic and needs no network: it reads the circuit, the stored
job and the fake devices' calibration snapshots. A language model, when configured,
builds on these findings; it never replaces them.
"""
