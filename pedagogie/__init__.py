"""Pedagogy: documents, class workspaces, assignment hand-in, resources."""
