"""The handlers, one module per page family; each registers itself by route name
(`deps.handles`). They parse the request, call the workspace service, and render."""
