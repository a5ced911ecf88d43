"""The fuzz suite (issue 10 B, docs/fuzzing.md): generated and damaged inputs of every kind,
run through the CLI in worker processes, each judged against one invariant (harness.py).

Modules: `mutate` (hostile values and damage), `cases`, `tables`, `files` (generators per input
kind), `model` (one input), `worker` (the process that runs inputs), `harness` (the invariant),
`runner` (workers, time limit, counts), `__main__` (`make fuzz`).
"""
