"""The data-only encoding between the grader and the sandboxed worker (no pickle, ever).

A message is a JSON header plus binary blobs. Values are tagged JSON trees: floats travel as
float.hex (exact, including inf and nan), arrays as .npy blobs whose header the receiver checks
before it touches the data. Anything else a worker returns is encoded as {"k": "x"}, a wrong
type that the grader reports and never decodes. This module runs on both sides, so it imports
only the standard library and numpy.
"""
from __future__ import annotations

import io
import json
import struct
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_ELEMENTS = 4_000_000
"""Largest array either side accepts (32 MB of float64)."""
MAX_MESSAGE = 64 * 1024 * 1024
"""Largest message, header and blobs together (the receiver holds it in memory twice)."""
MAX_HEADER = 4 * 1024 * 1024
"""Largest JSON header: parsed JSON takes about ten times its size in memory, and real
headers (a thousand calls of a gradient check) stay well under 1 MB."""
MAX_ITEMS = 10_000
"""Longest tuple or list."""
MAX_BLOBS = 4096
"""Most arrays one message may carry: each costs the receiver a header check (~50 us) however
small it is, so bytes alone do not bound the work (500,000 tiny arrays took 40 s)."""
MAX_DEPTH = 8
"""Deepest nesting of tuples and lists."""
MAX_STR = 4096
"""Longest string kept (longer ones are cut)."""
ARRAY_KINDS = "biuf"
"""Array dtypes that travel: bool, int, uint, float."""


class WireError(Exception):
    """A message or value that does not follow this format."""


class DecodeTimeout(WireError):
    """Decoding a value passed the deadline of the call that returned it."""


@dataclass(frozen=True)
class WrongType:
    """What the worker sent instead of a value it was not allowed to send."""

    description: str
    """A short description such as "MyArray (an ndarray subclass)"."""


@dataclass(frozen=True)
class Fn:
    """A function the worker builds from its own registry, e.g. for numerical gradients."""

    name: str
    """Registry name (see worker.FUNCTIONS)."""
    args: tuple[Any, ...] = ()
    """Data the function closes over."""


# --- encoding (both sides) -------------------------------------------------------------


def encode(value: Any, blobs: list[bytes], depth: int = 0) -> Any:
    """Turn a value into a JSON tree, appending arrays to blobs; unknown types become "x"."""
    t = type(value)
    if value is None:
        return {"k": "n"}
    if t is bool:
        return {"k": "b", "v": value}
    if t is int:
        if value.bit_length() > 256:
            return {"k": "x", "v": "int with more than 256 bits"}
        return {"k": "i", "v": str(value)}
    if t is float:
        return {"k": "f", "v": value.hex()}
    if t is str:
        return {"k": "s", "v": value[:MAX_STR]}
    if t is WrongType:
        return {"k": "x", "v": value.description}
    if t is Fn:
        return {"k": "fn", "name": value.name, "v": [encode(a, blobs, depth + 1)
                                                     for a in value.args]}
    if t is np.ndarray or t in _SCALAR_TYPES:
        return _encode_array(value, blobs, scalar=t is not np.ndarray)
    if t in (tuple, list):
        if depth >= MAX_DEPTH or len(value) > MAX_ITEMS:
            return {"k": "x", "v": f"a {t.__name__} nested too deep or too long"}
        return {"k": "t" if t is tuple else "l",
                "v": [encode(v, blobs, depth + 1) for v in value]}
    return {"k": "x", "v": describe(value)}


def _encode_array(value: Any, blobs: list[bytes], scalar: bool) -> Any:
    arr = np.asarray(value) if scalar else value
    if arr.dtype.kind not in ARRAY_KINDS or arr.dtype.fields is not None:
        return {"k": "x", "v": f"an array of dtype {arr.dtype.str} (numbers are expected)"}
    if arr.size > MAX_ELEMENTS:
        return {"k": "x", "v": f"an array of {arr.size} elements (at most {MAX_ELEMENTS})"}
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr if arr.flags.c_contiguous else arr.copy(order="C"),
                              allow_pickle=False)
    blobs.append(buf.getvalue())
    return {"k": "a", "i": len(blobs) - 1, "scalar": scalar}


def describe(value: Any) -> str:
    """A short, safe description of a value's type (never calls its __repr__)."""
    cls = type(value)
    try:
        name = f"{cls.__module__}.{cls.__qualname__}"
    except Exception:  # a hostile metaclass: fall back to something fixed
        name = "an object"
    if isinstance(value, np.ndarray):
        return f"{name} (an ndarray subclass; return a plain numpy array)"
    for base in (float, int, tuple, list, str):
        if isinstance(value, base):
            return f"{name} (a subclass of {base.__name__})"
    return name


_SCALAR_TYPES = frozenset({np.float16, np.float32, np.float64, np.longdouble, np.int8, np.int16,
                           np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                           np.bool_})


# --- decoding (done by whichever side receives) -----------------------------------------


def decode(tree: Any, blobs: list[bytes], depth: int = 0, deadline: float | None = None) -> Any:
    """Rebuild a value from a JSON tree; raises WireError on anything unexpected, and
    DecodeTimeout once time.monotonic() passes `deadline` (checked per array and list)."""
    if not isinstance(tree, dict) or depth > MAX_DEPTH + 1:
        raise WireError("malformed value")
    if deadline is not None and tree.get("k") in ("a", "t", "l") and time.monotonic() > deadline:
        raise DecodeTimeout("reading the value took longer than the call may take")
    kind = tree.get("k")
    v = tree.get("v")
    if kind == "n":
        return None
    if kind == "b" and type(v) is bool:
        return v
    if kind == "i" and isinstance(v, str) and len(v) <= 80:
        try:
            return int(v)
        except ValueError:
            raise WireError("malformed int") from None
    if kind == "f" and isinstance(v, str) and len(v) <= 40:
        try:
            return float.fromhex(v)
        except ValueError:
            raise WireError("malformed float") from None
    if kind == "s" and isinstance(v, str):
        return v[:MAX_STR]
    if kind in ("t", "l") and isinstance(v, list) and len(v) <= MAX_ITEMS:
        items = [decode(x, blobs, depth + 1, deadline) for x in v]
        return tuple(items) if kind == "t" else items
    if kind == "a":
        index = tree.get("i")
        if type(index) is not int or not 0 <= index < len(blobs):
            raise WireError("array reference out of range")
        arr = read_npy(blobs[index])
        return arr[()] if tree.get("scalar") is True and arr.ndim == 0 else arr
    if kind == "fn" and isinstance(tree.get("name"), str) and isinstance(v, list):
        return Fn(tree["name"], tuple(decode(x, blobs, depth + 1, deadline) for x in v))
    if kind == "x":
        return WrongType(str(v)[:200])
    raise WireError(f"unknown value kind {str(kind)[:20]!r}")


def read_npy(buf: bytes) -> np.ndarray:
    """Decode one .npy blob after checking its header: plain numbers, bounded size."""
    f = io.BytesIO(buf)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise WireError(f"unsupported .npy version {version}")
    except (ValueError, SyntaxError, TypeError, OSError) as exc:
        raise WireError(f"malformed array header ({exc})") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None \
            or dtype.hasobject:
        raise WireError(f"array dtype {dtype.str} is not a plain number type")
    if not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 32:
        raise WireError("malformed array shape")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count > MAX_ELEMENTS:
        raise WireError(f"array of {count} elements is larger than allowed")
    data = buf[f.tell():]
    if len(data) != count * dtype.itemsize:
        raise WireError("array data does not match its header")
    flat = np.frombuffer(data, dtype=dtype, count=count)
    return flat.reshape(shape, order="F" if fortran else "C").copy()


# --- framing --------------------------------------------------------------------------

_LEN = struct.Struct("<Q")


def pack(header: dict[str, Any], blobs: list[bytes]) -> bytes:
    """One message: total length, JSON header length, header, then each blob with its length."""
    head = json.dumps(header, separators=(",", ":")).encode()
    parts = [_LEN.pack(len(head)), head]
    for b in blobs:
        parts += [_LEN.pack(len(b)), b]
    body = b"".join(parts)
    return _LEN.pack(len(body)) + body


def unpack(body: bytes) -> tuple[dict[str, Any], list[bytes]]:
    """Split a message body (without its total length) into header and blobs."""
    try:
        (hlen,) = _LEN.unpack_from(body, 0)
        if hlen > len(body) - 8:
            raise WireError("header longer than the message")
        if hlen > MAX_HEADER:
            raise WireError(f"header of {hlen} bytes is larger than allowed")
        header = json.loads(body[8:8 + hlen])
        pos, blobs = 8 + hlen, []
        while pos < len(body):
            (n,) = _LEN.unpack_from(body, pos)
            if n > len(body) - pos - 8:
                raise WireError("blob longer than the message")
            blobs.append(body[pos + 8:pos + 8 + n])
            pos += 8 + n
            if len(blobs) > MAX_BLOBS:
                raise WireError(f"more than {MAX_BLOBS} arrays in one message")
    except (struct.error, ValueError, RecursionError) as exc:
        raise WireError(f"malformed message ({exc})") from None
    if not isinstance(header, dict):
        raise WireError("message header is not an object")
    return header, blobs


def frame_length(prefix: bytes) -> int:
    """The body length announced by a message's first 8 bytes."""
    (n,) = _LEN.unpack(prefix)
    if n > MAX_MESSAGE:
        raise WireError(f"message of {n} bytes is larger than allowed")
    return int(n)
