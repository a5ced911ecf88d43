"""The follow-up\x27s faces: the evaluation report, the import, FIT and ADBB summaries."""
