"""Writing results: all or nothing, so a failed run never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from routinegen.errors import InputError


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and ``os.replace``.

    The target keeps its permission bits when it exists; the temp file is removed whatever
    happens, so an error or an interrupt leaves the old file byte-identical.
    """
    target = Path(path)
    folder = target.parent
    try:
        info = target.stat()
        mode = stat.S_IMODE(info.st_mode)
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            # A device or a pipe (-o /dev/null): replacing it would put a plain file in its
            # place, in /dev for root. Nothing to write atomically there; stdout is "-o -".
            raise InputError(f"{target}: not a regular file; give a file, or - for stdout")
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror})") from None
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise InputError(f"{target}: folder {folder} does not exist") from None
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{target}: cannot write ({exc.strerror})") from None
        raise
