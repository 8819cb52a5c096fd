"""Thin views of the directory, one module per audience."""
