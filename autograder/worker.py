"""The sandboxed worker: runs a submission's cells, then serves calls of its functions.

This file runs *inside* the sandbox, in a fresh interpreter started by sandbox.py, next to a
copy of wire.py. It is the only code that executes student code. It never sees hidden tests,
expected values or the reference solution: it receives cells and inputs, and answers with
plain data. Nothing it says is trusted: the grader decodes its answers as data and decides.

Usage (by sandbox.py only): python -I -S worker.py FD COURSE_DIR [SITE_DIR ...], where FD is a
connected socket, COURSE_DIR holds the files the assignment ships to students and the SITE_DIRs
are the site-packages folders.
"""
from __future__ import annotations

import builtins
import io
import os
import socket
import sys
import time
import traceback
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# started with -I -S: site-packages come as arguments, so no .pth file runs code at start-up
sys.path += [p for p in sys.argv[3:] if p not in sys.path]

import confine  # noqa: E402  (copied next to this file inside the sandbox)

confine.load_filter()  # before numpy and before any student code: see sandbox.DENIED_SYSCALLS

import numpy as np  # noqa: E402

import wire  # noqa: E402  (copied next to this file inside the sandbox)

OUTPUT_KEEP = 64 * 1024
"""Bytes of printed output kept per cell or call (the rest is counted and dropped)."""


class BoundedSink(io.TextIOBase):
    """sys.stdout/sys.stderr for student code: keeps the first bytes, counts the rest."""

    def __init__(self, keep: int) -> None:
        self.keep, self.parts, self.size = keep, [], 0

    def write(self, text: Any) -> int:
        text = str(text)
        if self.size < self.keep:
            self.parts.append(text[: self.keep - self.size])
        self.size += len(text)
        return len(text)

    def take(self) -> tuple[str, int]:
        out, size = "".join(self.parts), self.size
        self.parts, self.size = [], 0
        return out, size


class FileAudit:
    """Paths student code opens outside its folders, seen by an audit hook (sys.addaudithook).

    Evidence for the instructor, not a defence: the sandbox is the defence, and student code
    in this process could tamper with this record. Armed only while student code runs, so
    the worker's own reads (tracebacks read source lines) are not counted.
    """

    KEEP = 20
    """Distinct paths kept per reply."""
    SYSTEM = ("/usr/share/", "/usr/lib/", "/proc/self/", "/sys/", "/dev/null", "/dev/urandom")
    """Read-only system files that libraries read on their own (fonts, CPU topology)."""

    def __init__(self, allowed: list[str]) -> None:
        self.cwd = os.getcwd()
        roots = [os.path.normpath(os.path.abspath(a)) for a in allowed + [self.cwd] if a]
        self.allowed = tuple(r.rstrip("/") + "/" for r in roots) + self.SYSTEM
        self.armed, self.seen = False, []

    def hook(self, event: str, args: tuple) -> None:
        if not self.armed or event != "open" or len(self.seen) >= self.KEEP:
            return
        path = args[0] if args else None
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        elif path is not None and not isinstance(path, str) and hasattr(path, "__fspath__"):
            path = str(path)
        if isinstance(path, str):
            full = os.path.normpath(os.path.join(self.cwd, path))
            if not (full + "/").startswith(self.allowed) and full not in self.seen:
                self.seen.append(full)

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


class Channel:
    """Length-prefixed messages over the socket the sandbox handed us."""

    def __init__(self, fd: int) -> None:
        self.sock = socket.socket(fileno=fd)

    def send(self, header: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        self.sock.sendall(wire.pack(header, blobs or []))

    def recv(self) -> tuple[dict[str, Any], list[bytes]]:
        body = self._exact(wire.frame_length(self._exact(8)))
        return wire.unpack(body)

    def _exact(self, n: int) -> bytes:
        chunks, got = [], 0
        while got < n:
            chunk = self.sock.recv(min(n - got, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)


def error_info(exc: BaseException) -> dict[str, Any]:
    """Type, message and the innermost line of the submission where it happened."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<cell "):
            where = f"{frame.filename[1:-1]}, line {frame.lineno}"
    try:
        message = str(exc)[:2000]
    except BaseException:  # a hostile __str__
        message = "(the exception's message could not be shown)"
    return {"type": type(exc).__name__, "message": message, "where": where}


class Worker:
    """State of one submission: its namespace and what it printed."""

    def __init__(self, channel: Channel, audit: FileAudit | None = None) -> None:
        self.channel = channel
        self.audit = audit or FileAudit([])
        self.ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.out = BoundedSink(OUTPUT_KEEP)
        self.functions: dict[str, Callable[..., Any]] = {
            "poly": self._poly, "student": self._student, "softmax_loss": self._softmax_loss,
            "poly_in_place": self._poly_in_place}

    def serve(self) -> None:
        sys.stdout = sys.stderr = self.out
        self.channel.send({"op": "hello", "pid": os.getpid()})
        while True:
            try:
                header, blobs = self.channel.recv()
            except EOFError:
                return
            op = header.get("op")
            handler = {"exec": self.exec_cell, "call": self.call, "map": self.map}.get(op)
            if handler is None:
                self.channel.send({"ok": False, "error": {"type": "Protocol", "message": op}})
                continue
            reply, out_blobs = handler(header, blobs)
            reply["seq"] = header.get("seq")
            reply["printed"], reply["printed_bytes"] = self.out.take()
            reply["opened"] = self.audit.take()
            self.channel.send(reply, out_blobs)

    # --- cells ---------------------------------------------------------------------------

    def exec_cell(self, header: dict[str, Any], blobs: list[bytes]) -> tuple[dict, list]:
        start = time.perf_counter()
        try:
            code = compile(header["source"], f"<{header['label']}>", "exec")
            self.audit.armed = True
            exec(code, self.ns)  # noqa: S102 - running the submission is this process's job
            self.audit.armed = False
            reply: dict[str, Any] = {"ok": True}
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are student errors too
            self.audit.armed = False
            reply = {"ok": False, "error": error_info(exc)}
        reply["seconds"] = time.perf_counter() - start
        reply["defined"] = self._callables(header.get("want", []))
        return reply, []

    def _callables(self, names: list[str]) -> dict[str, str]:
        found = {}
        for name in names:
            obj = self.ns.get(name)
            if obj is not None:
                found[name] = "function" if callable(obj) else "not callable"
        return found

    # --- calls ---------------------------------------------------------------------------

    def call(self, header: dict[str, Any], blobs: list[bytes]) -> tuple[dict, list]:
        args = [wire.decode(a, blobs) for a in header.get("args", [])]
        kwargs = {k: wire.decode(v, blobs) for k, v in header.get("kwargs", {}).items()}
        args = [self._build(a) for a in args]
        for a in args:
            if isinstance(a, HeldArgument):
                a.bind(args)
        before = self._fingerprint(args, kwargs)
        reply, value = self._invoke(header, args, kwargs)
        out: list[bytes] = []
        if reply["ok"]:
            select = header.get("select")
            reply["value"] = wire.encode(_select(value, select), out)
        reply["mutated"] = self._mutated(before, args, kwargs)
        return reply, out

    def map(self, header: dict[str, Any], blobs: list[bytes]) -> tuple[dict, list]:
        """Many calls of one function in one message (numerical gradient checks)."""
        results, out = [], []
        for arglist in header.get("arglist", []):
            args = [self._build(wire.decode(a, blobs)) for a in arglist]
            reply, value = self._invoke(header, args, {})
            if reply["ok"]:
                reply["value"] = wire.encode(_select(value, header.get("select")), out)
            results.append(reply)
        return {"ok": True, "results": results}, out

    def _invoke(self, header: dict[str, Any], args: list, kwargs: dict) -> tuple[dict, Any]:
        fn = self.ns.get(header["fn"])
        if not callable(fn):
            return {"ok": False, "error": {"type": "Missing", "message": header["fn"]}}, None
        start = time.perf_counter()
        value, reply = None, {"ok": True}
        self.audit.armed = True
        try:
            if header.get("fp"):
                with _ERRSTATE(over="raise", invalid="raise", divide="raise", under="ignore"):
                    PinnedErrstate.pinned = True
                    try:
                        value = fn(*args, **kwargs)
                    finally:
                        PinnedErrstate.pinned = False
                    if _SETERR()["over"] != "raise":  # changed behind np.errstate's back
                        reply["errstate_changed"] = True
            else:
                value = fn(*args, **kwargs)
        except FloatingPointError as exc:
            self.audit.armed = False
            reply = {"ok": False, "error": error_info(exc), "fp_error": str(exc)[:200]}
        except BaseException as exc:  # noqa: B036 - SystemExit from student code is data
            self.audit.armed = False
            reply = {"ok": False, "error": error_info(exc)}
        self.audit.armed = False
        reply["seconds"] = time.perf_counter() - start
        return reply, value

    def _fingerprint(self, args: list, kwargs: dict) -> list[bytes]:
        return [self._bytes(a) for a in args] + [self._bytes(v) for v in kwargs.values()]

    def _mutated(self, before: list[bytes], args: list, kwargs: dict) -> list[int]:
        after = self._fingerprint(args, kwargs)
        return [i for i, (b, a) in enumerate(zip(before, after)) if b != a]

    @staticmethod
    def _bytes(value: Any) -> bytes:
        if callable(value):
            return b"callable"
        blobs: list[bytes] = []
        tree = wire.encode(value, blobs)
        return repr(tree).encode() + b"".join(blobs)

    # --- functions built from data (for numerical gradients) ------------------------------

    def _build(self, value: Any) -> Any:
        if isinstance(value, wire.Fn):
            maker = self.functions.get(value.name)
            if maker is None:
                raise ValueError(f"unknown function {value.name}")
            return maker(*value.args)
        return value

    @staticmethod
    def _poly(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> Callable[[np.ndarray], float]:
        """f(x) = sum(a x^3 + b x^2 + c x): a smooth function with a known gradient."""
        return lambda x: float(np.sum(a * x**3 + b * x**2 + c * x))

    @staticmethod
    def _poly_in_place(a: np.ndarray, b: np.ndarray, c: np.ndarray, position: int
                       ) -> "HeldArgument":
        """poly(a, b, c), but only for the very array passed as argument `position` of the
        same call (nan for any other array): a numerical gradient that perturbs a copy of x
        instead of x itself gets nan (the spec's in-place convention)."""
        return HeldArgument(Worker._poly(a, b, c), position)

    @staticmethod
    def _softmax_loss(*data: Any) -> Callable[..., Any]:
        """loss_fn(W, X, y, reg) -> (loss, dW): softmax loss + reg * sum(W * W), for training
        checks (einsum, not BLAS, so the grader repeats every step bit for bit). Given data
        (X, y, reg): f(W) -> loss, a smooth function whose entries interact (a numerical
        gradient that leaves earlier entries perturbed gets wrong values)."""
        def loss_fn(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float
                    ) -> tuple[float, np.ndarray]:
            rows = np.arange(X.shape[0])
            s = np.einsum("nd,dc->nc", X, W)
            s = s - s.max(axis=1, keepdims=True)
            lse = np.log(np.exp(s).sum(axis=1))
            p = np.exp(s - lse[:, None])
            p[rows, y] -= 1.0
            loss = float(np.mean(lse - s[rows, y]) + reg * np.sum(W * W))
            return loss, np.einsum("nd,nc->dc", X, p) / X.shape[0] + 2.0 * reg * W
        return (lambda W: loss_fn(W, *data)[0]) if data else loss_fn

    def _student(self, name: str, args: tuple, position: int, select: int | None
                 ) -> Callable[[np.ndarray], float]:
        """f(x) = name(*args with x at position)[select]: the student's own loss."""
        def f(x: np.ndarray) -> float:
            full = list(args)
            full[position] = x
            return _select(self.ns[name](*full), select)
        return f


class HeldArgument:
    """A function of one array that answers only for the argument it was bound to."""

    def __init__(self, f: Callable[[np.ndarray], float], position: int) -> None:
        self.f, self.position, self.held = f, position, None

    def bind(self, args: list) -> None:
        if type(self.position) is int and 0 <= self.position < len(args):
            self.held = args[self.position]

    def __call__(self, x: Any) -> float:
        return self.f(x) if x is self.held else float("nan")


class PinnedErrstate:
    """np.errstate for student code: while a stability probe runs, entering it changes
    nothing, so a floating-point error raises whatever the student's code asks for."""

    pinned = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs, self.inner, self.skipped = args, kwargs, None, False

    def __enter__(self) -> Any:
        self.skipped = PinnedErrstate.pinned
        if not self.skipped:
            self.inner = _ERRSTATE(*self.args, **self.kwargs)
            return self.inner.__enter__()
        return None

    def __exit__(self, *exc: Any) -> Any:
        return None if self.skipped or self.inner is None else self.inner.__exit__(*exc)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*a: Any, **k: Any) -> Any:
            with PinnedErrstate(*self.args, **self.kwargs):
                return func(*a, **k)
        return wrapped


def _pinned_seterr(**kwargs: Any) -> dict[str, str]:
    return np.geterr() if PinnedErrstate.pinned else _SETERR(**kwargs)


_ERRSTATE, _SETERR = np.errstate, np.seterr


def pin_numpy_errors() -> None:
    """Route np.errstate and np.seterr through PinnedErrstate (before any student code)."""
    np.errstate, np.seterr = PinnedErrstate, _pinned_seterr  # type: ignore[misc,assignment]
    for name in ("numpy._core._ufunc_config", "numpy.core._ufunc_config"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "errstate"):
            module.errstate, module.seterr = PinnedErrstate, _pinned_seterr


def _select(value: Any, select: Any) -> Any:
    if select is None:
        return value
    if type(value) in (tuple, list) and type(select) is int and -len(value) <= select < len(value):
        return value[select]
    return wire.WrongType(f"{type(value).__name__} (a tuple was expected)")


def main() -> None:
    fd, course = int(sys.argv[1]), sys.argv[2]
    import site  # without -S, site also defines exit(), quit() and help(); students use them

    site.setquit()
    site.sethelper()
    sys.path.insert(0, course)  # the assignment's shipped files, e.g. the data helper
    grader = os.path.dirname(os.path.abspath(__file__))
    audit = FileAudit([course, sys.prefix, sys.base_prefix, sys.exec_prefix,
                       *(p for p in sys.path if p and os.path.abspath(p) != grader)])
    sys.addaudithook(audit.hook)
    pin_numpy_errors()
    Worker(Channel(fd), audit).serve()


if __name__ == "__main__":
    main()
