"""The errors the package reports to its users, and the one map from an error to an exit code.

Every error a user can act on is a ``SummarizerError`` whose message names the file, line or key
and what to do. Anything else escaping a command is a bug and is reported as one (a traceback),
never as a usage error.
"""
from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class SummarizerError(Exception):
    """A problem the user can act on; the message says what to change."""


class UsageError(SummarizerError, ValueError):
    """A config, argument, input or output destination that cannot be used (exit code 2)."""


class RunError(SummarizerError, RuntimeError):
    """A failure while summarising that no argument caused: a model that does not load (exit 1)."""


def exit_code(error: BaseException) -> int | None:
    """The exit code for ``error``, or None for an unexpected one (a bug, to be raised)."""
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, UsageError):
        return EXIT_USAGE
    if isinstance(error, (RunError, OSError)):  # OSError: disk full, permissions, a closed pipe
        return EXIT_FAILED
    return None
