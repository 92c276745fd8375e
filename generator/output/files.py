"""Writing results: all or nothing, so a failed run never leaves a half-written file.

What ``-o FILE`` does with what is already there, decided once, here:

* a regular file is replaced atomically and keeps its permission bits; a hard link to it
  elsewhere keeps the old content (the name gets a new file);
* a read-only file (one without any write permission bit, or that this user may not write)
  is refused, as the shell's ``>`` refuses it: replacing it through its folder would succeed,
  and silently discard the protection its owner chose;
* a symbolic link is written through: the file it points to is replaced (atomically, in its
  own folder) and the link stays a link; a dangling link creates its target, a loop is an
  error;
* a folder, a device or a FIFO is refused (``-o -`` is standard output).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from routinegen.errors import InputError


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and ``os.replace``.

    The target keeps its permission bits when it exists; the temp file is removed whatever
    happens, so an error or an interrupt leaves the old file byte-identical. See the module
    docstring for read-only files and symbolic links.
    """
    shown = Path(path)
    target = _through_links(shown)
    folder = target.parent
    try:
        info = target.stat()
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{shown}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            # A device or a pipe (-o /dev/null): replacing it would put a plain file in its
            # place, in /dev for root. Nothing to write atomically there; stdout is "-o -".
            raise InputError(f"{shown}: not a regular file; give a file, or - for stdout")
        if not mode & 0o222 or not os.access(target, os.W_OK):
            raise InputError(
                f"{shown}: is read-only; make it writable (chmod u+w) or choose another file"
            )
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise InputError(f"{shown}: cannot write ({exc.strerror})") from None
    # The temp file's name is fixed before it exists, so that an interrupt arriving at any
    # moment (even right after it is created) finds it known and removes it.
    tmp = str(folder / f".{target.name}.{_suffix()}.tmp")
    try:
        fd = _create(tmp)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, FileNotFoundError) and not folder.is_dir():
            raise InputError(f"{shown}: folder {folder} does not exist") from None
        if isinstance(exc, OSError):
            raise InputError(f"{shown}: cannot write ({exc.strerror})") from None
        raise


def _create(path: str) -> int:
    """Create the temp file ``path``, new and private, for writing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)


def _suffix() -> str:
    """Eight random characters of the kind ``tempfile`` uses (a batch's cleanup knows them)."""
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(8))


def _through_links(path: Path) -> Path:
    """The file ``path`` names once every symbolic link is followed (not resolved further:
    a path without links is returned as given, so messages and temp files stay where the
    user pointed)."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:  # a dangling link: write the file it names
        return Path(os.path.realpath(path))
    except OSError as exc:  # a loop
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
