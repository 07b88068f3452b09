"""Server monitoring's core: the `[monitoring]` and `[[monitors]]` settings, maintenance rules, and the write
function that stores a host reading (used by the `host-metrics` collector and the agent push API alike)."""
