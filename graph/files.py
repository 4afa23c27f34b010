"""Writing files safely: complete or absent, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from carrierkg.graph.errors import InputError

__all__ = ["write_atomic"]


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, else what the umask allows (not mkstemp's 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | os.PathLike, data: bytes | str | Callable[[BinaryIO], None]) -> Path:
    """Write a file so that it is either complete or absent: temp file, fsync, rename.

    ``data`` is bytes, text (written as UTF-8), or a function that writes into the open
    binary file (for large or streamed content, e.g. ``pickle.dump``). The file keeps the
    mode of the file it replaces, or gets the umask's default mode.

    Raises
    ------
    InputError
        The folder does not exist or the file cannot be written (one-line message).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "hello").read_text()
    'hello'
    >>> write_atomic(folder / "missing" / "a.txt", b"x")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.InputError: .../missing/a.txt: the folder .../missing does not exist
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{target}: the folder {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return target
