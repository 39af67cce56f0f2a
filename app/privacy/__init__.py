"""Privacy checks for user-submitted text (no Flask imports)."""

from .phi import PHI_KINDS, PhiFinding, check_fields, find_phi, warm_up

__all__ = ["PHI_KINDS", "PhiFinding", "check_fields", "find_phi", "warm_up"]
