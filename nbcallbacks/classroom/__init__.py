"""Classroom helpers for the gallery's exercises: a self-check that says "correct" or what is wrong.

Example:
    >>> from nbcallbacks.classroom import self_check
    >>> with self_check("Exercise 1"):
    ...     assert 2 + 2 == 4, "two and two make four"
    Exercise 1: correct.
"""

from nbcallbacks.classroom.self_check import CheckResult, last_check, self_check

__all__ = ["CheckResult", "last_check", "self_check"]
