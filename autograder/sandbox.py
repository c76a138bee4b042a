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
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from multiprocessing.util import Finalize
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
TMP_INODES = 4096
"""Files and folders the worker's private /tmp may hold. Each costs kernel memory that no
rlimit counts (a loop creating empty files took 400 MB in 5 s), so the count is capped."""
START_ATTEMPTS = 3
"""Tries to start a worker before giving up (a start can fail while a fork bomb dies)."""
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
    """None if a sandboxed interpreter of this tier starts here and finds numpy, else why not.

    numpy is located, not imported (that would double the probe's cost); if it then fails to
    import, the first worker does not start, and that is a tool error (see StudentSession).
    """
    tool = "bwrap" if name == "bubblewrap" else "unshare"
    if shutil.which(tool) is None:
        return f"{tool} is not installed"
    box = Sandbox(Tier(name, True), Limits(), files=())
    try:
        proc = box.run_code("import importlib.util as u; "
                            "sys.exit(None if u.find_spec('numpy') else 'numpy cannot be found')")
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
        self.ready = False
        """A worker has started here: from then on, a worker that cannot start is the
        submission's problem (its fork bomb), before that it is the machine's."""
        self._spare: list[WorkerProcess] = []
        # atexit does not run in forked pool processes; multiprocessing's exit hook does
        self._cleanup = Finalize(self, _clean_up, args=(str(self.stage), self._spare),
                                 exitpriority=10)

    def close(self) -> None:
        self._cleanup()

    # --- the command line of each tier ----------------------------------------------------

    def command(self, python_args: list[str]) -> list[str]:
        """Isolated mode without `site` (-I -S): .pth files run no code at start-up, and the
        worker puts the site-packages folders on sys.path itself (see run_code, worker.py)."""
        if self.tier.name == "bubblewrap":
            return self._bwrap() + self._in_bwrap([self.python, "-I", "-S", *python_args])
        if self.tier.name == "unshare":
            return self._unshare(python_args)
        return self._drop() + [self.python, "-I", "-S", *python_args]

    def run_code(self, code: str, timeout: float = START_TIMEOUT
                 ) -> subprocess.CompletedProcess[bytes]:
        """Run `python -c code` in this sandbox, started exactly as a worker is."""
        setup = f"import sys; sys.path += {list(_site_dirs())!r}; "
        argv, how = self._launch(self.command(["-c", setup + code]))
        return subprocess.run(argv, env=self._env(), timeout=timeout, capture_output=True,
                              cwd="/tmp" if self.tier.name == "none" else None, **how)

    def _env(self) -> dict[str, str]:
        return {} if self.tier.name != "none" else dict(SANDBOX_ENV)

    def _drop(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]

    def _bwrap(self) -> list[str]:
        args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv",
                "--tmpfs", "/", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(4 * self.limits.file_size_mb << 20),
                "--tmpfs", "/tmp",
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
        return args

    def _in_bwrap(self, argv: list[str]) -> list[str]:
        """As root: cap /tmp's inodes (bwrap has no option for it), then drop to the uid."""
        if os.geteuid() != 0:
            return argv
        script = (f"mount -o remount,nr_inodes={TMP_INODES} /tmp && exec "
                  + " ".join(_quote(a) for a in self._drop() + argv))
        return ["--cap-add", "CAP_SYS_ADMIN", "/bin/sh", "-c", script]

    def _unshare(self, python_args: list[str]) -> list[str]:
        hide = sorted({str(p) for p in self.hide} | {"/root", "/home"})
        mounts = " && ".join(f"mount -t tmpfs -o size=1m tmpfs {h}" for h in hide
                             if os.path.isdir(h) and not str(self.python).startswith(h + "/"))
        env = " ".join(f"{k}={v}" for k, v in SANDBOX_ENV.items())
        script = (f"{mounts + ' && ' if mounts else ''}cd /tmp && exec env -i {env} "
                  f"{self.python} -I -S " + " ".join(_quote(a) for a in python_args))
        return self._drop() + ["unshare", "--user", "--map-root-user", "--net", "--mount",
                               "--pid", "--fork", "--kill-child", "--", "/bin/sh", "-c", script]

    # --- starting and limiting -----------------------------------------------------------

    def _rlimits(self) -> list[tuple[int, int]]:
        lim = self.limits
        limits = [(resource.RLIMIT_AS, lim.memory_mb << 20),
                  (resource.RLIMIT_FSIZE, lim.file_size_mb << 20),
                  (resource.RLIMIT_CPU, int(lim.notebook_timeout * 2 + 30)),
                  (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, 256)]
        if os.geteuid() == 0:  # counted per uid: only meaningful for the dedicated sandbox uid
            limits.append((resource.RLIMIT_NPROC, lim.processes))
        return limits

    def _launch(self, argv: list[str]) -> tuple[list[str], dict[str, Any]]:
        """The command and Popen arguments that start `argv` with the rlimits applied.

        With bubblewrap, prlimit sets them and bwrap gives the worker its own session, so
        Popen can vfork (a forked grader costs ~10 ms of page tables per worker); otherwise a
        function between fork and exec sets them and starts a new session.
        """
        prlimit = shutil.which("prlimit")
        if self.tier.name != "bubblewrap" or prlimit is None:
            return argv, {"preexec_fn": self._limit_child}
        names = {resource.RLIMIT_AS: "as", resource.RLIMIT_FSIZE: "fsize",
                 resource.RLIMIT_CPU: "cpu", resource.RLIMIT_CORE: "core",
                 resource.RLIMIT_NOFILE: "nofile", resource.RLIMIT_NPROC: "nproc"}
        limits = [f"--{names[res]}={value}" for res, value in self._rlimits()]
        return [prlimit, *limits, "--", *argv], {"process_group": 0}

    def _limit_child(self) -> None:
        """Runs in the child between fork and exec: rlimits and a fresh session."""
        for res, value in self._rlimits():
            resource.setrlimit(res, (value, value))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails, not kills
        os.setsid()

    def start(self) -> "WorkerProcess":
        """A fresh worker that has said hello (none ever serves two submissions).

        The next one is started right away in the background, so that it has imported numpy
        by the time it is needed: the next submission of a batch, or a restart.
        """
        for attempt in range(START_ATTEMPTS):
            worker = self._spare.pop() if self._spare else self._spawn()
            try:
                worker.expect_hello()
            except WorkerDied:  # e.g. a process limit still full of a dying fork bomb
                if attempt == START_ATTEMPTS - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
                continue
            self.ready = True
            self.prestart()
            return worker
        raise AssertionError("unreachable")

    def prestart(self) -> None:
        """Start a worker in the background, unless one is already starting."""
        if not self._spare:
            self._spare.append(self._spawn())

    def _spawn(self) -> "WorkerProcess":
        parent, child = socket.socketpair()
        paths = {"grader": "/grader", "course": "/course"} if self.tier.name == "bubblewrap" \
            else {"grader": str(self.stage / "grader"), "course": str(self.stage / "course")}
        argv = self.command([f"{paths['grader']}/worker.py", str(child.fileno()),
                             paths["course"], *_site_dirs()])
        argv, how = self._launch(argv)
        try:
            proc = subprocess.Popen(argv, env=self._env(), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    pass_fds=(child.fileno(),),
                                    cwd="/tmp" if self.tier.name == "none" else None, **how)
        finally:
            child.close()
        return WorkerProcess(proc, parent, self)


class WorkerProcess:
    """One running worker: request/reply with deadlines, and a kill that leaves nothing."""

    def __init__(self, proc: subprocess.Popen[bytes], sock: socket.socket, box: Sandbox) -> None:
        self.proc, self.sock, self.box = proc, sock, box
        self.started = time.monotonic()
        self.seq = 0
        """Number of the last request; the worker echoes it, so a stray reply is noticed."""
        self.last_words = ""
        """The last line on stderr of a worker that ended (for tool errors)."""

    def expect_hello(self) -> None:
        try:
            header, _ = self._receive(time.monotonic() + START_TIMEOUT)
        except WorkerDied as exc:  # no student code has run: say why, for the instructor
            raise WorkerDied(f"{exc.status}: {self.last_words}" if self.last_words
                             else exc.status) from None
        if header.get("op") != "hello":
            self.kill()
            raise WorkerDied("the worker did not start")

    def request(self, header: dict[str, Any], blobs: list[bytes], timeout: float
                ) -> tuple[dict[str, Any], list[bytes]]:
        deadline = time.monotonic() + timeout
        self.seq += 1
        try:
            self.sock.settimeout(timeout)
            self.sock.sendall(wire.pack({**header, "seq": self.seq}, blobs))
        except (socket.timeout, OSError):
            raise self._died() from None
        # Student code can write to the worker's socket. A second answer to an earlier
        # request is skipped; anything else out of turn ends the worker, so a forged frame
        # can only ever answer the call that is running, never a later one.
        while True:
            reply, out = self._receive(deadline)
            seq = reply.get("seq")
            if seq == self.seq:
                return reply, out
            if not (type(seq) is int and 0 < seq < self.seq):
                self.kill()
                raise WorkerDied("the worker wrote to the grader out of turn")

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
        self.last_words = self._stderr_line() if code is not None else ""
        self.kill()
        if code is None:
            return WorkerDied("the worker stopped answering")
        if code < 0:
            return WorkerDied(f"killed by signal {signal.Signals(-code).name}")
        if self.box.tier.name == "bubblewrap" and code - 128 in _SIGNALS:
            # bwrap exits with 128 + n when the worker it runs was killed by signal n
            return WorkerDied(f"killed by signal {signal.Signals(code - 128).name}")
        return WorkerDied(f"exited with status {code}")

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def _stderr_line(self) -> str:
        """The last line the sandbox wrote to stderr, read without waiting (a daemon left in
        the sandbox may hold the pipe open); for tool errors, which only instructors see."""
        if self.proc.stderr is None or self.proc.stderr.closed:
            return ""
        os.set_blocking(self.proc.stderr.fileno(), False)
        try:
            data = self.proc.stderr.read(1 << 16) or b""
        except OSError:
            data = b""
        lines = data.decode(errors="replace").strip().splitlines()
        return lines[-1][:300] if lines else ""

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


_SIGNALS = frozenset(int(s) for s in signal.Signals)


def _clean_up(stage: str, spare: list[WorkerProcess]) -> None:
    """Kill the worker starting in the background and remove the staged files."""
    while spare:
        spare.pop().kill()
    shutil.rmtree(stage, ignore_errors=True)


@lru_cache(maxsize=None)
def _site_dirs() -> tuple[str, ...]:
    """The site-packages folders `python -I` would put on sys.path (workers run -I -S)."""
    import site

    return tuple(d for d in site.getsitepackages() if os.path.isdir(d))


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
