"""The SOP catalogue: each SOP's steps, performers and standard times, loaded from TOML files."""

from pantau.sops.catalogue import BUILTIN_DIR, SopFileError, load_catalogue, load_sop_file
from pantau.sops.models import END, Branch, Flow, PerformerRole, Sop, StandardTime, Step

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
