"""The web face (FastAPI, Jinja2, htmx): thin, like the CLI — parse the request, call a service, render its bundle."""
