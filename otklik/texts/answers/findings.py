"""The one result type every answer check returns."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in an answer: ``answer[start:end]`` is the span, ``suggestion`` its replacement."""

    code: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }
