"""Services: compute each bundle once (case results, simulation and sensitivity, pool ledger
and risk, ladder projection, check findings) for every face to render."""
