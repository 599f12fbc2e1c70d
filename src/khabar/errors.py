"""Errors that reach the user as one line each: ``file:line: field: problem``."""

from __future__ import annotations

from collections.abc import Iterable

from khabar.schema import Problem


class KhabarError(Exception):
    """A failure the CLI reports as one line per problem, then exits non-zero."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem | str]):
        self.problems = [p if isinstance(p, Problem) else Problem("", p) for p in problems]
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """The problems, one line each."""
        return [str(p) if p.field else f"{p.file}:{p.line}: {p.message}" if p.file else p.message
                for p in self.problems]


class InputError(KhabarError):
    """Bad input data (gold, predictions, markup): exit status 2, as argparse uses for bad usage."""

    exit_code = 2


def fail(file: str, line: int | str, field: str, message: str) -> InputError:
    """A one-problem :class:`InputError`."""
    return InputError([Problem(field, message, file, line)])
