"""Cases: the schema of a case file, loading with located errors, parameters and drivers."""
