"""The vie scolaire benchmark's collège (`bench.run_vie_scolaire`): built and graded, its month of
attendance, its homework book; each part measures and says how its rows read."""
