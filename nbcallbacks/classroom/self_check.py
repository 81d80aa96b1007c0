"""``self_check``: the block under an exercise that tells a student "correct" or what is wrong.

A self-check is a ``with`` block of plain ``assert`` statements about the
student's answer. It never raises, so "Run All" on a notebook whose exercises
are not done yet runs to the end: a name the answer should have defined is
"not answered yet", a failed assertion prints its message, and only a block
that runs through prints "correct". The gallery's tests run each exercise's
published solution followed by its self-check and read :func:`last_check` to
prove that every solution passes its check.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from types import TracebackType

__all__ = ["CheckResult", "last_check", "self_check"]


@dataclass(frozen=True)
class CheckResult:
    """What one self-check found: ``status`` is "correct", "not answered" or "wrong"."""

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "correct"


_last: list[CheckResult] = []


def last_check() -> CheckResult | None:
    """The result of the self-check that ran last in this process, or None before the first.

    Example:
        >>> with self_check("Warm-up"):
        ...     assert [1, 2][0] == 1
        Warm-up: correct.
        >>> last_check().passed
        True
    """
    return _last[-1] if _last else None


class self_check:  # a class used like a function: ``with self_check("Exercise 1"):``
    """Check an exercise's answer with ``assert`` statements; print the verdict, never raise.

    Args:
        exercise: how the verdict names the exercise, e.g. ``"Exercise 2"``.

    Example:
        >>> with self_check("Exercise 2"):
        ...     assert 0.1 + 0.2 == 0.3, "floats are rounded: compare with math.isclose"
        Exercise 2: not yet. floats are rounded: compare with math.isclose
        >>> with self_check("Exercise 3"):
        ...     assert my_answer > 0
        Exercise 3: not answered yet (my_answer is not defined: run your answer cell first).
    """

    def __init__(self, exercise: str) -> None:
        if not isinstance(exercise, str) or not exercise:
            raise TypeError(f"self_check needs the exercise's name, e.g. self_check('Exercise 1'); "
                            f"got {exercise!r}")
        self.exercise = exercise

    def __enter__(self) -> self_check:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool:
        if kind is None:
            result = CheckResult(self.exercise, "correct", "")
            print(f"{self.exercise}: correct.")
        elif issubclass(kind, NameError):
            name = getattr(error, "name", None) or str(error)
            result = CheckResult(self.exercise, "not answered", str(error))
            print(f"{self.exercise}: not answered yet ({name} is not defined: "
                  f"run your answer cell first).")
        elif issubclass(kind, AssertionError):
            result = CheckResult(self.exercise, "wrong", str(error))
            print(f"{self.exercise}: not yet. {error}".rstrip())
        elif issubclass(kind, Exception):
            # Another error in the answer's objects (an AttributeError on a half-built model...):
            # say what it was and where, as a traceback would, without stopping Run All.
            last = traceback.extract_tb(trace)[-1]
            result = CheckResult(self.exercise, "wrong", f"{kind.__name__}: {error}")
            print(f"{self.exercise}: not yet. The check stopped with {kind.__name__}: {error} "
                  f"(line {last.lineno} of the check).")
        else:
            return False            # KeyboardInterrupt, SystemExit: not ours to swallow
        _last.append(result)
        return True
