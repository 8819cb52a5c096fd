"""Benchmarks of the ENT (not tests): generators of realistic data and their runners."""
