"""Replace a folder by a freshly written one so that a crash at any instant leaves the old or the new one.

On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` system call: the new folder and the old one trade
places atomically, and the old one is then deleted under its temporary name. Where the call is missing (another
kernel, a file system that refuses it) two renames are used instead, and :func:`recover` puts the old folder
back if a crash fell between them. A lock file next to the folder keeps two writers apart.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from khabar.errors import KhabarError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# Tests set this to a point name to kill the process there, as a crash or `kill -9` would.
FAULT_ENV = "KHABAR_FAULT"


def _fault(point: str) -> None:
    if os.environ.get(FAULT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def exchange_paths(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False when this system cannot (the caller falls back)."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _siblings(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


def fresh_dir(out: Path) -> Path:
    """An empty, world-readable folder beside ``out`` to write the new content into."""
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    tmp.chmod(0o755)  # mkdtemp makes 0700; a release is for every user of the machine
    return tmp


def make_readable(folder: Path) -> None:
    """Folders 0755 and files 0644 below ``folder``, whatever the umask."""
    for d, _subdirs, files in os.walk(folder):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)


def recover(out: Path) -> list[Path]:
    """Clean up after a crashed swap: restore a stranded old folder, delete half-written ones; what was removed."""
    removed = []
    olds = _siblings(out, "old")
    if not out.exists() and olds:
        # the two-rename fallback died between its renames: the old content is intact, put it back
        holder = olds[-1]
        inner = holder / "x"
        (inner if inner.exists() else holder).rename(out)
    for p in [*_siblings(out, "new"), *_siblings(out, "old")]:
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


def install(tmp: Path, out: Path, exchange: Callable[[Path, Path], bool] | None = None) -> None:
    """Put the folder ``tmp`` in place of ``out``; at every instant ``out`` is the old or the new folder."""
    exchange = exchange or exchange_paths
    if not out.exists():
        tmp.rename(out)  # nothing to keep: one atomic rename
        return
    if exchange(tmp, out):
        _fault("exchanged")
        shutil.rmtree(tmp)  # tmp now holds the old release
        return
    holder = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old-"))
    out.rename(holder / "x")
    _fault("between-renames")
    tmp.rename(out)
    shutil.rmtree(holder)


@contextmanager
def locked(out: Path, *, wait: bool = False) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside ``out`` for the duration.

    A second writer waits for it with ``wait``; without, it gets one line and exit status 1.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise KhabarError([f"{lock}: another build of {out} is running; try again when it has finished"]) \
                from None
        yield lock
    finally:
        os.close(fd)  # closing releases the lock; the file stays, as lock files do


def replace_dir(out: Path, write: Callable[[Path], None]) -> None:
    """Write new content with ``write(folder)`` and swap it in place of ``out``, locked and crash-safe."""
    out = out.resolve()
    with locked(out):
        recover(out)
        tmp = fresh_dir(out)
        try:
            write(tmp)
            make_readable(tmp)
            _fault("written")
            install(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
