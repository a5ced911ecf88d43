"""The ladder's presentation: documents built from the ladder bundles (`document`), their
JSON twins (`json`), the `--chart` file (`chart`) and the wording (`labels`)."""
