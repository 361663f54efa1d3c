"""Atomic file output: write a temporary file in the target's folder, then ``os.replace`` it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: File names are limited to 255 bytes on common file systems; mkstemp adds 8 characters and ".tmp".
MAX_NAME_BYTES = 255
_TMP_EXTRA = 8 + len(".tmp")


def temp_prefix(name: str) -> str:
    """``.<name>.``, shortened (with a hash of the full name) so the temporary name fits 255 bytes."""
    prefix = f".{name}."
    budget = MAX_NAME_BYTES - _TMP_EXTRA
    if len(os.fsencode(prefix)) <= budget:
        return prefix
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:12]
    keep = name
    while len(os.fsencode(f".{keep}~{digest}.")) > budget:
        keep = keep[:-1]
    return f".{keep}~{digest}."


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` in one step.

    On an exception (or a kill) ``target`` is untouched and the temporary file is removed (or, after
    a kill, left as a hidden ``.name.*.tmp`` file that a later run ignores).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=temp_prefix(target.name), suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the output ordinary permissions
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_text_atomic(target: str | Path, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> None:
    with atomic_path(target) as tmp, open(tmp, "w", encoding=encoding, newline=newline) as fh:
        fh.write(text)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
