"""Isolation tiers: start, limit, talk to, kill and restart the sandboxed worker.

Tier 1, bubblewrap: empty environment, a non-root host uid, new pid/net/ipc/uts namespaces, a
read-only view of the Python installation and of the assignment's shipped files, a private
size-limited tmpfs, --die-with-parent and --new-session.
Tier 2, unshare: user, network, mount and pid namespaces after dropping to a non-root user,
with the course folder and home directories hidden under empty tmpfs mounts.
Tier 3, limits only: refused unless the caller asks for unsafe grading.
Every tier applies rlimits (CPU, address space, processes, file size, open files, no core
dumps), a wall-clock deadline kept by the parent, and kills the whole sandbox afterwards.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import wire
from .course import Limits
from .errors import SandboxUnavailable

WORKER_FILES = ("worker.py", "wire.py")
SANDBOX_ENV = {
    "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
"""The worker's whole environment: nothing of the grader's own environment gets in."""
UID_BASE = 62000
"""Sandboxed workers run as uid UID_BASE + (grader pid mod 1000): never root, never shared
between two concurrent graders, so limits and clean-up of one cannot touch another."""
START_TIMEOUT = 20.0
"""Seconds a worker may take to start (interpreter and numpy import) on a loaded machine."""
TIER_NAMES = ("bubblewrap", "unshare", "none")


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


class WorkerDied(Exception):
    """The worker ended (crash, os._exit, signal) before answering; it has been reaped."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Tier:
    """The isolation in use, recorded in every result."""

    name: str
    """"bubblewrap", "unshare" or "none"."""
    safe: bool
    """False for limits only: network and world-readable files are reachable."""


def choose_tier(allow_unsafe: bool = False, prefer: str | None = None) -> Tier:
    """The strongest tier that works here; raises SandboxUnavailable if only "none" is left."""
    reasons = []
    for name in TIER_NAMES[:2]:
        if prefer and name != prefer:
            continue
        problem = _probe(name)
        if problem is None:
            return Tier(name, True)
        reasons.append(f"{name}: {problem}")
    if allow_unsafe:
        return Tier("none", False)
    raise SandboxUnavailable.because("; ".join(reasons) or f"tier {prefer!r} was requested")


@lru_cache(maxsize=None)
def _probe(name: str) -> str | None:
    """None if a sandboxed interpreter of this tier can import numpy here, else why not."""
    tool = "bwrap" if name == "bubblewrap" else "unshare"
    if shutil.which(tool) is None:
        return f"{tool} is not installed"
    box = Sandbox(Tier(name, True), Limits(), files=())
    try:
        proc = subprocess.run(box.command(["-c", "import numpy"]), env={}, timeout=START_TIMEOUT,
                              preexec_fn=box._limit_child, capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    finally:
        box.close()
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {proc.returncode}"
    return None


class Sandbox:
    """Starts workers for one assignment under one tier; owns the staged worker files."""

    def __init__(self, tier: Tier, limits: Limits, files: tuple[Path, ...],
                 python: str = sys.executable, hide: tuple[Path, ...] = ()) -> None:
        self.tier, self.limits, self.python = tier, limits, os.path.realpath(python)
        self.hide = hide
        self.stage = Path(tempfile.mkdtemp(prefix="autograder-stage-"))
        os.chmod(self.stage, 0o755)
        (self.stage / "grader").mkdir(mode=0o755)
        (self.stage / "course").mkdir(mode=0o755)
        here = Path(__file__).parent
        for name in WORKER_FILES:
            _copy_readable(here / name, self.stage / "grader" / name)
        for f in files:
            _copy_readable(f, self.stage / "course" / f.name)
        self.uid = UID_BASE + os.getpid() % 1000 if os.geteuid() == 0 else os.geteuid()

    def close(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    # --- the command line of each tier ----------------------------------------------------

    def command(self, python_args: list[str]) -> list[str]:
        if self.tier.name == "bubblewrap":
            return self._bwrap() + [self.python, "-I", *python_args]
        if self.tier.name == "unshare":
            return self._unshare(python_args)
        return self._drop() + [self.python, "-I", *python_args]

    def _drop(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]

    def _bwrap(self) -> list[str]:
        args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv",
                "--tmpfs", "/", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
                "--size", str(4 * self.limits.file_size_mb << 20), "--tmpfs", "/tmp",
                "--ro-bind", str(self.stage / "grader"), "/grader",
                "--ro-bind", str(self.stage / "course"), "/course", "--chdir", "/tmp"]
        if os.geteuid() != 0:
            args[1:1] = ["--unshare-user"]
        for link in ("bin", "lib", "lib64", "sbin"):
            if os.path.islink(f"/{link}"):
                args += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
        for path in _python_roots(self.python):
            for parent in reversed(Path(path).parents[:-1]):
                args += ["--perms", "0755", "--dir", str(parent)]
            args += ["--ro-bind", path, path]
        for key, value in SANDBOX_ENV.items():
            args += ["--setenv", key, value]
        return args + self._drop()

    def _unshare(self, python_args: list[str]) -> list[str]:
        hide = sorted({str(p) for p in self.hide} | {"/root", "/home"})
        mounts = " && ".join(f"mount -t tmpfs -o size=1m tmpfs {h}" for h in hide
                             if os.path.isdir(h) and not str(self.python).startswith(h + "/"))
        env = " ".join(f"{k}={v}" for k, v in SANDBOX_ENV.items())
        script = (f"{mounts + ' && ' if mounts else ''}cd /tmp && exec env -i {env} "
                  f"{self.python} -I " + " ".join(_quote(a) for a in python_args))
        return self._drop() + ["unshare", "--user", "--map-root-user", "--net", "--mount",
                               "--pid", "--fork", "--kill-child", "--", "/bin/sh", "-c", script]

    # --- starting and limiting -----------------------------------------------------------

    def _limit_child(self) -> None:
        """Runs in the child between fork and exec: rlimits and a fresh session."""
        lim = self.limits
        cpu = int(lim.notebook_timeout * 2 + 30)
        limits = [(resource.RLIMIT_AS, lim.memory_mb << 20),
                  (resource.RLIMIT_FSIZE, lim.file_size_mb << 20),
                  (resource.RLIMIT_CPU, cpu), (resource.RLIMIT_CORE, 0),
                  (resource.RLIMIT_NOFILE, 256)]
        if os.geteuid() == 0:  # counted per uid: only meaningful for the dedicated sandbox uid
            limits.append((resource.RLIMIT_NPROC, lim.processes))
        for res, value in limits:
            resource.setrlimit(res, (value, value))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails, not kills
        os.setsid()

    def start(self) -> "WorkerProcess":
        parent, child = socket.socketpair()
        paths = {"grader": "/grader", "course": "/course"} if self.tier.name == "bubblewrap" \
            else {"grader": str(self.stage / "grader"), "course": str(self.stage / "course")}
        argv = self.command([f"{paths['grader']}/worker.py", str(child.fileno()),
                             paths["course"]])
        env = {} if self.tier.name != "none" else dict(SANDBOX_ENV)
        try:
            proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    pass_fds=(child.fileno(),), preexec_fn=self._limit_child,
                                    cwd="/tmp" if self.tier.name == "none" else None)
        finally:
            child.close()
        worker = WorkerProcess(proc, parent, self)
        worker.expect_hello()
        return worker


class WorkerProcess:
    """One running worker: request/reply with deadlines, and a kill that leaves nothing."""

    def __init__(self, proc: subprocess.Popen[bytes], sock: socket.socket, box: Sandbox) -> None:
        self.proc, self.sock, self.box = proc, sock, box
        self.started = time.monotonic()

    def expect_hello(self) -> None:
        header, _ = self._receive(time.monotonic() + START_TIMEOUT)
        if header.get("op") != "hello":
            self.kill()
            raise WorkerDied("the worker did not start")

    def request(self, header: dict[str, Any], blobs: list[bytes], timeout: float
                ) -> tuple[dict[str, Any], list[bytes]]:
        deadline = time.monotonic() + timeout
        try:
            self.sock.settimeout(timeout)
            self.sock.sendall(wire.pack(header, blobs))
        except (socket.timeout, OSError):
            raise self._died() from None
        return self._receive(deadline)

    def _receive(self, deadline: float) -> tuple[dict[str, Any], list[bytes]]:
        try:
            length = wire.frame_length(self._exact(8, deadline))
            return wire.unpack(self._exact(length, deadline))
        except wire.WireError:
            self.kill()
            raise WorkerDied("the worker sent a malformed message") from None

    def _exact(self, n: int, deadline: float) -> bytes:
        chunks, got = [], 0
        while got < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerTimeout()
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(min(n - got, 1 << 20))
            except socket.timeout:
                self.kill()
                raise WorkerTimeout() from None
            except OSError:
                chunk = b""
            if not chunk:
                raise self._died()
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _died(self) -> WorkerDied:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        self.kill()
        if code is None:
            return WorkerDied("the worker stopped answering")
        if code < 0:
            return WorkerDied(f"killed by signal {signal.Signals(-code).name}")
        return WorkerDied(f"exited with status {code}")

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def stderr_tail(self) -> str:
        """The end of what the sandbox wrote to stderr (instructor detail only)."""
        if self.alive or self.proc.stderr is None:
            return ""
        return self.proc.stderr.read(1 << 16)[-2000:].decode(errors="replace")

    def kill(self) -> None:
        """Kill the sandbox's process group, and with a dropped uid every process of that uid."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if os.geteuid() == 0 and self.box.tier.name == "none":
            _kill_uid(self.box.uid)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.sock.close()
        if self.proc.stderr:
            self.proc.stderr.close()


def _kill_uid(uid: int) -> None:
    """Kill every process of a sandbox uid, daemons that left the process group included."""
    pid = os.fork()
    if pid == 0:  # child: become the uid, then kill(-1) reaches exactly its processes
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@lru_cache(maxsize=None)
def _python_roots(python: str) -> tuple[str, ...]:
    """Folders the interpreter needs: its prefixes and its site-packages, nothing else.

    Only installation folders are bound, never sys.path entries such as a source checkout
    (an editable install of the grader puts the course folder on sys.path).
    """
    import site

    roots = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    for entry in [*site.getsitepackages(), *sys.path]:
        real = os.path.realpath(entry) if entry else ""
        if os.path.isdir(real) and os.path.basename(real) in ("site-packages", "dist-packages"):
            roots.add(real)
    keep = sorted(r for r in roots if r != "/usr" and (not r.startswith("/usr/")
                                                      or r.startswith("/usr/local/")))
    # binding a folder covers what lies below it
    return tuple(r for r in keep if not any(r.startswith(o + "/") for o in keep))


def _copy_readable(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o644)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)
