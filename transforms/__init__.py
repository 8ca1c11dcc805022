"""Pure transforms: bytes or rows in, polars DataFrames out. No file or database access here."""
