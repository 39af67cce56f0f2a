"""A claim line as the pre-check reads it."""
import re
from dataclasses import dataclass

EVALUATION_AND_MANAGEMENT = re.compile(r"^99[2-4]\d\d$")


@dataclass(frozen=True)
class ClaimLine:
    number: int                  # 1-based, as the biller sees the lines
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1

    @property
    def label(self) -> str:
        return "-".join((self.code, *self.modifiers))

    @property
    def is_office_visit(self) -> bool:
        return bool(EVALUATION_AND_MANAGEMENT.match(self.code))
