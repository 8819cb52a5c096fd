"""The Monday 8:00 load test: the dataset, the Locust mix, the floor views and the report."""
