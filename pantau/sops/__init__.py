"""The SOP catalogue: each SOP's steps, performers and standard times, loaded from TOML files."""

from pantau.sops.catalogue import (
    BUILTIN_DIR,
    END,
    Branch,
    Flow,
    PerformerRole,
    Sop,
    SopFileError,
    StandardTime,
    Step,
    load_catalogue,
    load_sop_file,
)

__all__ = [
    "BUILTIN_DIR",
    "END",
    "Branch",
    "Flow",
    "PerformerRole",
    "Sop",
    "SopFileError",
    "StandardTime",
    "Step",
    "load_catalogue",
    "load_sop_file",
]
