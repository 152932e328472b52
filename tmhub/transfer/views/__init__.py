"""Transfer pages, one module per use case."""
