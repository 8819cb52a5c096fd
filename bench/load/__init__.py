"""The Monday 8:00 load test: the dataset, the Locust mix, the floor views and the report."""

# The password of every account of the load test's databases (the demo world's, the Paris world's).
PASSWORD = "Charge-du-lundi-8h-2026!"  # noqa: S105 (the load test database's own accounts)
