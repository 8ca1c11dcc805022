"""I/O at the edges: reading export files, the DuckDB file, outputs, Prefect flows and the CLI."""
