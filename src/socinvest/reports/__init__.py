"""Reports: the template's tables as data, and their renderings (terminal, JSON; later docx,
xlsx, pdf, html). Rendering holds no business logic: every figure comes from engine Results."""
