"""Every write of the directory with a business rule; keyword arguments, one transaction each."""
