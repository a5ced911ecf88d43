"""The one safe writer, as the presentation layer uses it (it lives in `socinvest.output`, a
leaf, so that `io`'s case-file import writes through the same code)."""

from ..output import check_output, make_folder, safe_write

__all__ = ["check_output", "make_folder", "safe_write"]
