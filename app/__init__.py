"""The entry layer: the `pantau` command, the demo campus, the benchmarks. The only layer that wires the
core, the read side, the collectors and the dashboard together (see docs/architecture.md)."""
