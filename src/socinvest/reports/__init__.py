"""Presentation: one document model (`document/`), one renderer registry (`registry`:
terminal, JSON, docx, xlsx, pdf, html, md), one chart module (`charts`) and one safe writer
(`write`). Rendering holds no business logic: every figure comes from a service's bundle."""
