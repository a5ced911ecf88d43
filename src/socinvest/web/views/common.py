"""Small helpers the views share: answering an action, and the JSON of service results."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..render import jsonable, wants_json


def data(obj: Any) -> Any:
    """A service result (frozen dataclasses, enums, dates) as JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: data(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if f.name not in ("blob",)
        }
    if isinstance(obj, dict):
        return {str(k): data(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [data(v) for v in obj]
    if isinstance(obj, bytes):
        return None
    if isinstance(obj, enum.Enum):
        return obj.value
    return jsonable(obj)


def done(request: Request, url: str, payload: dict[str, Any], status: int = 200) -> Response:
    """An action's answer: its JSON, or 303 to the page that shows the result."""
    if wants_json(request):
        return JSONResponse(jsonable(payload), status_code=status)
    if request.headers.get("hx-request") == "true":
        # htmx would follow a 303 and swap only part of the page (the version shown above
        # it would stay the old one): a whole new page instead
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
