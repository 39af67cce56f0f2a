"""One finding of the pre-check: what is wrong or unknown, what to do about it, and which data says so."""
from dataclasses import dataclass, field

#: How a finding weighs on the claim, worst first.
DENIAL = "denial"        # the loaded data says the line will be denied as billed
WARNING = "warning"      # it may be denied unless the documentation or a modifier supports it
NO_DATA = "no_data"      # nothing loaded to check against: not a pass
INFO = "info"            # a fact worth knowing, nothing to fix
SEVERITIES = (DENIAL, WARNING, NO_DATA, INFO)


@dataclass
class Finding:
    kind: str            # ptp, mue, modifier, payment, crowd
    severity: str
    message: str
    action: str
    vintage: str | None = None
    codes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # 1-based line numbers the finding is about
    details: dict = field(default_factory=dict)
