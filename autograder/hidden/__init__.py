"""The checks hidden tests call, one module per chapter."""
