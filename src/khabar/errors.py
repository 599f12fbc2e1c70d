"""Errors that reach the user as one line each: ``file:line: field: problem``."""

from __future__ import annotations

from collections.abc import Iterable

from khabar.schema import Problem

MAX_PROBLEMS = 50


class KhabarError(Exception):
    """A failure the CLI reports as one line per problem (at most :data:`MAX_PROBLEMS`), then exits non-zero.

    ``more`` counts problems known but not kept; ``truncated`` says that reading stopped before the end, so
    more may exist than were counted.
    """

    exit_code = 1

    def __init__(self, problems: Iterable[Problem | str], *, more: int = 0, truncated: str = ""):
        kept: list[Problem] = []
        for p in problems:
            if len(kept) < MAX_PROBLEMS:
                kept.append(p if isinstance(p, Problem) else Problem("", p))
            else:
                more += 1
        self.problems = kept
        self.more = more
        self.truncated = truncated
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """The problems, one line each, then one line for those left out."""
        out = [str(p) if p.field else f"{p.file}:{p.line}: {p.message}" if p.file else p.message
               for p in self.problems]
        if self.more:
            out.append(f"… and {self.more} more")
        if self.truncated:
            out.append(f"… stopped reading {self.truncated}")
        return out


class InputError(KhabarError):
    """Bad input data (gold, predictions, markup): exit status 2, as argparse uses for bad usage."""

    exit_code = 2


class Problems:
    """A bounded list of problems for readers that stream: it raises once more than the bound have been found.

    Readers add problems as they find them and call :meth:`raise_if_any` at the end; memory stays bounded
    however many bad lines the input has, because reading stops at the first problem past the bound.
    """

    def __init__(self, limit: int = MAX_PROBLEMS, error: type[KhabarError] | None = None):
        self.limit = limit
        self.items: list[Problem] = []
        self.error = error or InputError

    def add(self, problem: Problem) -> None:
        """Record one problem; past the bound, stop the reader."""
        if len(self.items) >= self.limit:
            where = f"at {problem.file}:{problem.line}" if problem.file else "early"
            raise self.error(self.items, truncated=f"{where}: more than {self.limit} problems")
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        for p in problems:
            self.add(p)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        """Raise the error class with every problem recorded, if there is one."""
        if self.items:
            raise self.error(self.items)


def fail(file: str, line: int | str, field: str, message: str) -> InputError:
    """A one-problem :class:`InputError`."""
    return InputError([Problem(field, message, file, line)])
