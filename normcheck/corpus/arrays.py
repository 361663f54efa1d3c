"""Arrays saved beside the corpus index and opened memory-mapped (issue 15).

The file is an ordinary uncompressed ``.npz`` (``np.load`` reads it), written so that every array's data
starts on a 64-byte boundary; :func:`open_arrays` maps the file once and hands out read-only arrays over
it instead of reading and CRC-checking hundreds of MB. Opening costs a few milliseconds, and the processes
of a batch (``--jobs``, Ray workers on one node) share one copy of the pages instead of one each.

What :func:`open_arrays` checks is the file's structure (zip directory, local headers, ``.npy`` headers,
sizes within the file); whether the arrays fit together is the caller's to check (the retrieval index
validates its own, issue 17). A file that fails raises ``ValueError``.
"""

from __future__ import annotations

import io
import mmap
import os
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

ALIGN = 64
_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # a zip local file header (30 bytes)
_PAD_ID = 0xA11C  # our extra-field id: padding that aligns the member's data


def save_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` as an uncompressed npz whose array data are 64-byte aligned
    (atomically: a temporary file in the same folder, then renamed)."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, value in arrays.items():
                arr = np.asarray(value)
                if not arr.flags.c_contiguous:
                    arr = np.ascontiguousarray(arr)  # (keeps 0-d arrays 0-d only when not needed)
                if arr.dtype.hasobject:
                    raise ValueError(f"{name}: object arrays cannot be mapped")
                head = io.BytesIO()
                np.lib.format.write_array_header_1_0(head, np.lib.format.header_data_from_array_1_0(arr))
                header = head.getvalue()
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_STORED
                info.file_size = len(header) + arr.nbytes
                zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
                start = zf.fp.tell() + 30 + len(info.filename.encode()) + (20 if zip64 else 0)  # type: ignore[union-attr]
                pad = -start % ALIGN
                if pad:
                    pad += ALIGN if pad < 4 else 0
                    info.extra = struct.pack("<HH", _PAD_ID, pad - 4) + bytes(pad - 4)
                with zf.open(info, "w") as out:
                    out.write(header)
                    out.write(arr.reshape(-1).view(np.uint8).data if arr.size else b"")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def open_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an npz file, as read-only arrays over one memory map of it (any uncompressed
    npz opens; one written by :func:`save_arrays` gives aligned arrays). Raises ``ValueError`` when
    the file is not an uncompressed npz whose members all lie inside it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size == 0:
                raise ValueError("empty file")
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{path.name}: not a readable npz ({exc})") from exc
    out: dict[str, np.ndarray] = {}
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
            raise ValueError(f"{info.filename}: not an uncompressed .npy member")
        off = info.header_offset
        if off + _LOCAL.size > size:
            raise ValueError(f"{info.filename}: header outside the file")
        fields = _LOCAL.unpack_from(mm, off)
        if fields[0] != b"PK\x03\x04":
            raise ValueError(f"{info.filename}: bad local header")
        start = off + _LOCAL.size + fields[9] + fields[10]
        end = start + info.file_size
        if end > size:
            raise ValueError(f"{info.filename}: data outside the file")
        head = io.BytesIO(mm[start:min(end, start + 65536)])
        version = np.lib.format.read_magic(head)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(head)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(head)
        else:
            raise ValueError(f"{info.filename}: .npy version {version}")
        if dtype.hasobject:
            raise ValueError(f"{info.filename}: object array")
        count = 1
        for d in shape:
            count *= int(d)
        data = start + head.tell()
        if data + count * dtype.itemsize > end:
            raise ValueError(f"{info.filename}: array larger than its member")
        arr = np.frombuffer(mm, dtype=dtype, count=count, offset=data)
        out[info.filename[:-4]] = np.reshape(arr, tuple(shape), order="F" if fortran else "C")
    return out
