"""Layout checks of rendered reports (check.py) over the examples and generated cases
(cases.py); `python -m tests.layout` runs many generated cases (make layout)."""
