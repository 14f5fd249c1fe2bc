"""Output safety: an output never aliases an input, and one batch job writes one output at a time."""
from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from pathlib import Path
from typing import TextIO

from summarizer.errors import UsageError


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


#: what a new file gets under this process's umask (mkstemp creates 0600)
_MODE = _default_mode()


def open_beside(target: Path, suffix: str) -> tuple[TextIO, Path]:
    """A new temporary file beside ``target`` (a random name, created with O_EXCL: a link planted
    at a predictable ".NAME.tmp" cannot make a writer write outside the folder), open for text."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    os.fchmod(handle, _MODE)
    return os.fdopen(handle, "w", encoding="utf-8"), Path(name)


def write_atomically(target: Path, text: str) -> None:
    """``text`` into ``target`` through a temporary file renamed over it: a crash leaves the old or
    the new file, and a link at ``target`` is replaced, never written through."""
    write_bytes_atomically(target, text.encode("utf-8"))


def write_bytes_atomically(target: Path, data: bytes) -> None:
    """``data`` into ``target`` as ``write_atomically`` writes text (images, for one)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, _MODE)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: equal once resolved, or one inode (hard and symbolic links)."""
    a, b = Path(first), Path(second)
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_is_not_input(output: str | None, input_path: str) -> None:
    """Refuse an ``--output`` that is the input, or one of the files of an input folder."""
    if not output or output == "-":
        return
    if input_path == "-":  # standard input redirected from a file (`run - --output a.txt < a.txt`)
        try:
            stdin, target = os.fstat(0), os.stat(output)
        except OSError:
            return  # no file behind stdin (a pipe, a terminal), or no output file yet
        if (stdin.st_dev, stdin.st_ino) == (target.st_dev, target.st_ino):
            raise UsageError(f"--output {output!r} is the file standard input reads: writing there would destroy "
                             "what is being read; choose another --output")
        return
    source = Path(input_path)
    inputs = [source]
    if source.is_dir():
        inputs += [p for p in source.iterdir() if p.is_file()]
    for candidate in inputs:
        if same_file(output, candidate):
            raise UsageError(f"--output {output!r} is the input {str(candidate)!r}: writing there would destroy "
                             "what is being read; choose another --output")


def check_page_folder_holds_no_input(folder: str | None, input_path: str, output: str | None = None) -> None:
    """Refuse a folder of HTML pages that holds the input (a page named like the input, such as a
    saved ``index.html``, would replace it), or that holds ``output`` under a page's name (a
    cluster's page would replace the JSON Lines output: redteam D1, D5)."""
    if not folder or folder == "-":
        return
    pages = Path(folder)
    source = Path(input_path)
    if source.exists() and (same_file(pages, source) or same_file(pages, source.parent)):
        raise UsageError(f"the pages' folder {folder!r} holds the input {input_path!r}: a page could replace it; "
                         "give a folder of its own for the pages")
    if output and Path(output).suffix.lower() in (".html", ".htm") and same_file(Path(output).parent, pages):
        raise UsageError(f"--output {output!r} is in the pages' folder {folder!r} under a page's name: a cluster's "
                         "page could replace it; name it .jsonl or put it elsewhere")


def lock_holder(path: Path) -> int | None:
    """The process holding a lock on ``path``, from /proc/locks (Linux), or None if unknown."""
    try:
        stat = path.stat()
        wanted = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
        with open("/proc/locks", encoding="utf-8") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 6 and fields[5] == wanted:
                    return int(fields[4])
    except (OSError, ValueError):
        pass
    return None


class OutputLock:
    """An exclusive lock on a batch output for the life of the job (``flock``: released when the
    process ends, even by ``kill -9``, so no stale lock is ever left behind)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(self.fd)
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = lock_holder(path)
            who = f"process {holder}" if holder else "another process"
            raise UsageError(f"--output {str(path)!r} is being written by {who} (another batch run on the same "
                             "output); wait for it to finish or choose another --output") from None

    def release(self) -> None:
        if self.fd >= 0:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1
