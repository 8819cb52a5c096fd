"""Tenants: School (keyed by UAI), tenancy machinery, per-school services, waves, city oversight."""
