"""Tsunagu core: configuration, storage, the durable pipeline and the command line."""

__version__ = "0.1.0"
