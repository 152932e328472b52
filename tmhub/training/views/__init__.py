"""Training pages, split by use case."""
