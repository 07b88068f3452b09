"""Read side: plain functions of an engine and filters that return pandas DataFrames or values."""
