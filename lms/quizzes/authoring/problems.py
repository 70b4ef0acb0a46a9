"""Problems found while reading question banks, test definitions and imported question files.

Two shapes: :class:`ProblemLine` for content files (``path:line: message``, all of a file's problems are
raised together in one :class:`BankFormatError`) and :class:`ImportProblem` for files uploaded through
the UI (GIFT, Aiken, Excel), which are reported per question next to a preview instead of raised.
Messages are in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemLine:
    """One problem in a content file; ``str()`` gives ``path:line: message`` (``path: message`` if no line)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class BankFormatError(ValueError):
    """Every problem found in one or more content files, sorted by path then line.

    ``str()`` is one ``path:line: message`` per line, so it can be printed as is by the content sync.
    """

    def __init__(self, problems: Iterable[ProblemLine]) -> None:
        self.problems: list[ProblemLine] = sorted(problems, key=lambda p: (p.path, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an imported file, tied to where the question starts.

    ``unit`` is ``"line"`` for text formats (GIFT, Aiken) and ``"row"`` for spreadsheets, so ``str()`` gives
    ``line 12: ...`` or ``row 5: ...``. A ``warning`` does not stop the question from being imported (for
    example a Moodle feature that is approximated); any other problem means the question was skipped.
    """

    line: int
    message: str
    unit: str = "line"
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.message}"
