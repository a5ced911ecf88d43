"""Compile the message catalogues (.po -> .mo) as part of every build, editable ones included."""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        import sys

        sys.path.insert(0, "src")
        try:
            from socinvest.i18n.extract import compile_all

            compile_all()
        finally:
            sys.path.pop(0)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
