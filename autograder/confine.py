"""Runs inside the sandbox: load the seccomp filter the grader staged next to this file.

The filter is compiled on the trusted side with libseccomp (sandbox.seccomp_program); here it
is only handed to the kernel, before any student code runs. Standard library only.
"""
from __future__ import annotations

import ctypes
import os

FILTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seccomp.bpf")
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2


class _Program(ctypes.Structure):  # struct sock_fprog
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load_filter(path: str = FILTER) -> bool:
    """Install the filter at `path` for this process and its children; False if none was
    staged (the unsafe tier). Raises SystemExit if a staged filter cannot be installed, so
    a worker never serves without it."""
    try:
        with open(path, "rb") as f:
            program = f.read()
    except FileNotFoundError:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(program, len(program))
    fprog = _Program(len(program) // 8, ctypes.addressof(buf))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.prctl(
            PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise SystemExit(f"the seccomp filter could not be loaded "
                         f"({os.strerror(ctypes.get_errno())})")
    return True
