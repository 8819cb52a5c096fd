"""The rectorat directory (AAF) importer: reading the ficAlimMENESR exports and applying them."""
