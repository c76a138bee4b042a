"""Isolation tiers: start, limit, talk to, kill and restart the sandboxed worker.

Tier 1, bubblewrap: empty environment, a non-root host uid of its own, new pid/net/ipc/uts
namespaces, a read-only view of the Python installation and of the assignment's shipped files,
a private size-limited tmpfs, --die-with-parent, --new-session and a seccomp filter.
Tier 2, unshare: user, network, ipc, mount and pid namespaces after dropping to a non-root
user, with the course folder and home directories hidden under empty tmpfs mounts.
Every worker runs under a uid leased to it alone (see allocate_uid), and before it runs any
student code it loads a seccomp filter (built with libseccomp, see seccomp_program) that denies
the system calls grading never needs: kernel keyrings, ptrace, bpf, namespaces, mounting ...
Tier 3, limits only: refused unless the caller asks for unsafe grading.
Every tier applies rlimits (CPU, address space, processes, file size, open files, no core
dumps), a wall-clock deadline kept by the parent, and kills the whole sandbox afterwards.
"""
from __future__ import annotations

import errno
import fcntl
import os
import resource
import secrets
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

WORKER_FILES = ("worker.py", "wire.py", "confine.py")
SECCOMP_FILE = "seccomp.bpf"
"""The worker's seccomp filter, staged next to confine.py, which loads it before student code."""
SANDBOX_ENV = {
    "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
"""The worker's whole environment: nothing of the grader's own environment gets in."""
UID_BASE = 63000
UID_COUNT = 1000
"""Sandboxed workers run as uids UID_BASE .. UID_BASE + UID_COUNT - 1, one uid per worker,
leased through a lock file (see allocate_uid): never root, never two workers at once, never
reused while a process, key or IPC object of its previous worker remains."""
UID_LOCKS = ("/run/autograder-uids", "/tmp/autograder-uids")
"""Folders for the uid lock files, the first one that can be used (root only)."""
DENIED_SYSCALLS = (
    "add_key", "request_key", "keyctl",  # kernel keyrings outlive the process, keyed by uid
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
    "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "personality", "lookup_dcookie",
    "name_to_handle_at", "open_by_handle_at", "fanotify_init", "vhangup",
    "msgget", "semget", "shmget", "mq_open",  # System V IPC and POSIX message queues
)
"""System calls the worker gets EPERM for. `mount` too, but only in the filter the worker loads
itself: bubblewrap's filter applies before the sandbox remounts /tmp (see _in_bwrap)."""
CLONE_NAMESPACES = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000,
                    0x40000000, 0x00000080)
"""CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME: clone() with any
of these is denied; clone3() (whose flags a filter cannot read) fails with ENOSYS, so the C
library falls back to clone()."""
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
    try:
        box = Sandbox(Tier(name, True), Limits(), files=())
    except (ImportError, OSError, RuntimeError) as exc:  # no libseccomp, or no pyseccomp
        return (f"the seccomp filter could not be built ({exc}); run ./install.sh "
                "(it installs libseccomp2 and pyseccomp)")
    try:
        proc = box.run_code("import importlib.util as u; "
                            "sys.exit(None if u.find_spec('numpy') else 'numpy cannot be found')")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    finally:
        box.close()
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        why = lines[-1] if lines else f"exit status {proc.returncode}"
        cause = userns_restriction() if os.geteuid() != 0 or name == "unshare" else ""
        return f"{why}; {cause}" if cause else why
    return None


USERNS_SETTINGS = (
    ("kernel/apparmor_restrict_unprivileged_userns", "1",
     "AppArmor restricts unprivileged user namespaces (Ubuntu 24.04 and later, GitHub's "
     "runners): run `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or give "
     "bwrap an AppArmor profile that allows them (`userns,` in /etc/apparmor.d/bwrap)"),
    ("kernel/unprivileged_userns_clone", "0",
     "unprivileged user namespaces are switched off: run "
     "`sudo sysctl -w kernel.unprivileged_userns_clone=1`"),
    ("user/max_user_namespaces", "0",
     "user namespaces are switched off: run `sudo sysctl -w user.max_user_namespaces=15000`"),
)
"""Kernel settings that stop bubblewrap (without root) and unshare: (file under
/proc/sys, the value that blocks, what to do)."""


def userns_restriction(sysctl: Path = Path("/proc/sys")) -> str:
    """Why unprivileged user namespaces cannot be made here, with the fix, or ""."""
    for name, blocking, advice in USERNS_SETTINGS:
        try:
            value = (sysctl / name).read_text().strip()
        except OSError:
            continue
        if value == blocking:
            return f"{advice} (or grade as root)"
    return ""


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
        if tier.safe:
            (self.stage / "grader" / SECCOMP_FILE).write_bytes(seccomp_program(deny_mount=True))
            os.chmod(self.stage / "grader" / SECCOMP_FILE, 0o644)
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

    def command(self, python_args: list[str], uid: int | None = None) -> list[str]:
        """Isolated mode without `site` (-I -S): .pth files run no code at start-up, and the
        worker puts the site-packages folders on sys.path itself (see run_code, worker.py)."""
        uid = os.geteuid() if uid is None else uid
        if self.tier.name == "bubblewrap":
            return self._bwrap() + self._in_bwrap([self.python, "-I", "-S", *python_args], uid)
        if self.tier.name == "unshare":
            return self._unshare(python_args, uid)
        return _drop(uid) + [self.python, "-I", "-S", *python_args]

    def run_code(self, code: str, timeout: float = START_TIMEOUT
                 ) -> subprocess.CompletedProcess[bytes]:
        """Run `python -c code` in this sandbox, started exactly as a worker is (its seccomp
        filter loaded by confine.load_filter before `code` runs)."""
        setup = (f"import sys; sys.path += {list(_site_dirs())!r}; sys.path.insert(0, "
                 f"{self._grader_dir()!r}); import confine; confine.load_filter(); ")
        lease = allocate_uid()
        try:
            argv, how, fds = self._launch(self.command(["-c", setup + code], lease.uid))
            try:
                return subprocess.run(argv, env=self._env(), timeout=timeout,
                                      capture_output=True, pass_fds=fds,
                                      cwd="/tmp" if self.tier.name == "none" else None, **how)
            finally:
                for fd in fds:
                    os.close(fd)
        finally:
            lease.release()

    def _grader_dir(self) -> str:
        return "/grader" if self.tier.name == "bubblewrap" else str(self.stage / "grader")

    def _env(self) -> dict[str, str]:
        return {} if self.tier.name != "none" else dict(SANDBOX_ENV)

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

    def _in_bwrap(self, argv: list[str], uid: int) -> list[str]:
        """As root: cap /tmp's inodes (bwrap has no option for it), then drop to the uid."""
        if os.geteuid() != 0:
            return argv
        script = (f"mount -o remount,nr_inodes={TMP_INODES} /tmp && exec "
                  + " ".join(_quote(a) for a in _drop(uid) + argv))
        return ["--cap-add", "CAP_SYS_ADMIN", "/bin/sh", "-c", script]

    def _unshare(self, python_args: list[str], uid: int) -> list[str]:
        hide = sorted({str(p) for p in self.hide} | {"/root", "/home"})
        mounts = " && ".join(f"mount -t tmpfs -o size=1m tmpfs {h}" for h in hide
                             if os.path.isdir(h) and not str(self.python).startswith(h + "/"))
        env = " ".join(f"{k}={v}" for k, v in SANDBOX_ENV.items())
        script = (f"{mounts + ' && ' if mounts else ''}cd /tmp && exec env -i {env} "
                  f"{self.python} -I -S " + " ".join(_quote(a) for a in python_args))
        return _drop(uid) + ["unshare", "--user", "--map-root-user", "--net", "--ipc",
                             "--mount", "--pid", "--fork", "--kill-child", "--", "/bin/sh",
                             "-c", script]

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

    def _launch(self, argv: list[str]) -> tuple[list[str], dict[str, Any], tuple[int, ...]]:
        """The command, Popen arguments and file descriptors to pass that start `argv` with
        the rlimits applied (and with bubblewrap, its seccomp filter: the caller closes fds).

        With bubblewrap, prlimit sets them and bwrap gives the worker its own session, so
        Popen can vfork (a forked grader costs ~10 ms of page tables per worker); otherwise a
        function between fork and exec sets them and starts a new session.
        """
        prlimit = shutil.which("prlimit")
        if self.tier.name != "bubblewrap" or prlimit is None:
            return argv, {"preexec_fn": self._limit_child}, ()
        names = {resource.RLIMIT_AS: "as", resource.RLIMIT_FSIZE: "fsize",
                 resource.RLIMIT_CPU: "cpu", resource.RLIMIT_CORE: "core",
                 resource.RLIMIT_NOFILE: "nofile", resource.RLIMIT_NPROC: "nproc"}
        limits = [f"--{names[res]}={value}" for res, value in self._rlimits()]
        fd = _program_fd(seccomp_program(deny_mount=False))
        argv = [argv[0], "--seccomp", str(fd), *argv[1:]]
        return [prlimit, *limits, "--", *argv], {"process_group": 0}, (fd,)

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
        course = "/course" if self.tier.name == "bubblewrap" else str(self.stage / "course")
        lease = allocate_uid()
        parent, child = socket.socketpair()
        fds: tuple[int, ...] = ()
        try:
            argv = self.command([f"{self._grader_dir()}/worker.py", str(child.fileno()),
                                 course, *_site_dirs()], lease.uid)
            argv, how, fds = self._launch(argv)
            proc = subprocess.Popen(argv, env=self._env(), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    pass_fds=(child.fileno(), *fds),
                                    cwd="/tmp" if self.tier.name == "none" else None, **how)
        except BaseException:
            parent.close()
            lease.release()
            raise
        finally:
            child.close()
            for fd in fds:
                os.close(fd)
        return WorkerProcess(proc, parent, self, lease)


class WorkerProcess:
    """One running worker: request/reply with deadlines, and a kill that leaves nothing."""

    def __init__(self, proc: subprocess.Popen[bytes], sock: socket.socket, box: Sandbox,
                 lease: "UidLease") -> None:
        self.proc, self.sock, self.box, self.lease = proc, sock, box, lease
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
        """Kill the sandbox's process group and every process of its uid; give the uid back."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        # bwrap's pid namespace dies with it (--die-with-parent), taking every process of
        # the worker along; other tiers' processes may have left the group: kill by uid
        self.lease.release(kill=self.box.tier.name != "bubblewrap")
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


def _drop(uid: int) -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]


# --- one uid per worker ------------------------------------------------------------------

class UidLease:
    """A sandbox uid held by one worker: a lock file under UID_LOCKS, held with flock."""

    def __init__(self, uid: int, fd: int | None) -> None:
        self.uid, self.fd = uid, fd

    def release(self, kill: bool = True) -> None:
        """Kill every process of the uid (unless its pid namespace is known to take them all
        down), then unlock it (idempotent). The next owner checks that nothing of this worker
        remains (processes, keys, IPC) before it takes the uid."""
        if self.fd is None:
            return
        if kill:
            _signal_uid(self.uid)
        _LEASED.discard(self.fd)
        os.close(self.fd)
        self.fd = None


_LEASED: set[int] = set()
"""Lock file descriptors of the live leases of this process (closed in forked children)."""


def _forget_leases() -> None:
    for fd in list(_LEASED):  # the parent still holds the flock through its own descriptor
        os.close(fd)
    _LEASED.clear()


os.register_at_fork(after_in_child=_forget_leases)


def allocate_uid() -> UidLease:
    """A uid for one worker: not held by any other worker of any grader on this machine, and
    holding nothing in the kernel (processes, keys, System V IPC objects). Without root there
    is only the grader's own uid (the user namespace of the unshare tier separates it)."""
    if os.geteuid() != 0:
        return UidLease(os.geteuid(), None)
    folder = _lock_folder()
    start = secrets.randbelow(UID_COUNT)  # spread: a freed uid is rarely the next one taken
    for i in range(UID_COUNT):
        uid = UID_BASE + (start + i) % UID_COUNT
        fd = os.open(f"{folder}/{uid}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        if _kill_uid(uid) and not kernel_residue(uid):
            _LEASED.add(fd)
            return UidLease(uid, fd)
        os.close(fd)  # something of an earlier worker remains: leave this uid alone
    raise SandboxUnavailable.because(f"all {UID_COUNT} sandbox uids from {UID_BASE} are in "
                                     "use or still hold kernel objects")


@lru_cache(maxsize=None)
def _lock_folder() -> str:
    for folder in UID_LOCKS:
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    raise SandboxUnavailable.because(f"no folder for uid locks could be made ({UID_LOCKS})")


def kernel_residue(uid: int) -> list[str]:
    """What the kernel still holds for a uid: keys and System V IPC objects of the host's
    namespaces (a worker's own IPC namespace dies with it). Processes: see _kill_uid."""
    found = []
    for line in _read_lines("/proc/key-users"):  # "  uid:  usage nkeys/nikeys ..."
        head, _, rest = line.partition(":")
        if head.strip() == str(uid) and rest.split()[1:2] != ["0/0"]:
            found.append(f"keys of uid {uid}: {rest.strip()}")
    for kind, owner, creator in (("msg", 7, 9), ("sem", 4, 6), ("shm", 7, 9)):
        for line in _read_lines(f"/proc/sysvipc/{kind}")[1:]:  # columns: see proc(5)
            fields = line.split()
            if str(uid) in fields[owner:owner + 1] + fields[creator:creator + 1]:
                found.append(f"System V {kind} of uid {uid}: {line.strip()[:80]}")
    return found


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []


def _kill_uid(uid: int, wait: float = 2.0) -> bool:
    """Kill every process of a sandbox uid, daemons that left the process group included;
    True once none is left (a dying pid namespace takes a moment)."""
    deadline = time.monotonic() + wait
    while processes_of(uid):
        if time.monotonic() > deadline:
            return False
        _signal_uid(uid)
        time.sleep(0.01)
    return True


def _signal_uid(uid: int) -> None:
    """SIGKILL every process of the uid, from a child that becomes the uid (so kill(-1)
    reaches exactly its processes, whatever pid namespace they are in)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def processes_of(uid: int) -> list[int]:
    """Live processes (not zombies) whose real, effective or saved uid is `uid`."""
    found, wanted = [], str(uid)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", "rb") as f:
                text = f.read().decode("ascii", "replace")
        except OSError:
            continue
        uids = next((line.split()[1:4] for line in text.splitlines()
                     if line.startswith("Uid:")), [])
        if wanted in uids and "\nState:\tZ" not in text:
            found.append(int(entry.name))
    return found


# --- the seccomp filter ------------------------------------------------------------------

@lru_cache(maxsize=None)
def seccomp_program(deny_mount: bool) -> bytes:
    """The compiled BPF program (libseccomp's seccomp_export_bpf) that makes every call in
    DENIED_SYSCALLS (and `mount` if deny_mount) fail with EPERM."""
    import pyseccomp as seccomp

    f = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED_SYSCALLS + (("mount",) if deny_mount else ()):
        try:
            f.add_rule(seccomp.ERRNO(errno.EPERM), name)
        except (RuntimeError, ValueError, OSError):  # a name this kernel/libseccomp lacks
            continue
    for flag in CLONE_NAMESPACES:
        f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ,
                                                                    flag, flag))
    f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    with tempfile.TemporaryFile() as out:
        f.export_bpf(out)
        out.seek(0)
        return out.read()


def _program_fd(program: bytes) -> int:
    """A file descriptor to read the program from (bwrap --seccomp FD reads it to the end)."""
    fd = os.memfd_create("autograder-seccomp", 0)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


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
