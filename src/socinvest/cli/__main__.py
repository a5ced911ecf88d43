"""`python -m socinvest.cli`: the same entry point as the `socinvest` command."""

from .main import main

main()
