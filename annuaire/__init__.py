"""The directory: people, memberships, divisions, groups, subjects, assignments, guardianships."""
