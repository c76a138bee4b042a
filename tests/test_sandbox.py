"""The sandbox: isolation facts a student's code can observe from inside the worker."""
from __future__ import annotations

import socket
import threading

import numpy as np
import pytest

from autograder import wire
from autograder.course import Limits
from autograder.errors import SandboxUnavailable
from autograder.sandbox import Sandbox, Tier, WorkerTimeout, choose_tier
from conftest import ROOT, needs_bwrap


def run_cell(box: Sandbox, source: str, timeout: float = 10) -> dict:
    worker = box.start()
    try:
        reply, _ = worker.request({"op": "exec", "label": "cell 1", "source": source,
                                   "want": []}, [], timeout)
        return reply
    finally:
        worker.kill()


@pytest.fixture
def bwrap_box():
    box = Sandbox(choose_tier(prefer="bubblewrap"), Limits(), files=(), hide=(ROOT,))
    yield box
    box.close()


@needs_bwrap
def test_worker_cannot_reach_the_network(bwrap_box):
    """Can student code connect to a server listening on the grader's loopback?"""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept(), daemon=True).start()
    reply = run_cell(bwrap_box, f"import socket\nsocket.create_connection(('127.0.0.1', {port}), "
                                "timeout=2)\n")
    server.close()
    assert not reply["ok"]
    assert reply["error"]["type"] in ("ConnectionRefusedError", "OSError", "TimeoutError")


@needs_bwrap
def test_worker_cannot_read_hidden_tests_or_solutions(bwrap_box):
    """Can student code open the hidden tests or the solution notebook by absolute path?"""
    for target in (ROOT / "solutions/softmax/tests/test_softmax.py",
                   ROOT / "solutions/softmax/softmax.ipynb", ROOT / "course.yaml"):
        reply = run_cell(bwrap_box, f"open({str(target)!r}).read()\n")
        assert not reply["ok"] and reply["error"]["type"] in ("FileNotFoundError",
                                                              "PermissionError")


@needs_bwrap
def test_worker_environment_is_empty_and_unprivileged(bwrap_box, monkeypatch):
    """Does the worker see none of the grader's environment, run as non-root, see no pid 1 env?"""
    monkeypatch.setenv("AUTOGRADER_CANARY", "canary-7d1f")
    reply = run_cell(bwrap_box, (
        "import os\n"
        "print(sorted(os.environ), os.getuid())\n"
        "try:\n    print(open('/proc/1/environ', 'rb').read())\n"
        "except OSError as e:\n    print('denied', type(e).__name__)\n"))
    printed = reply["printed"]
    assert "canary-7d1f" not in printed and "AUTOGRADER_CANARY" not in printed
    assert "denied" in printed or "b''" in printed
    uid = int(printed.split("] ")[1].split()[0])
    assert uid != 0


@needs_bwrap
def test_call_timeout_kills_the_worker(bwrap_box):
    """Does a hanging call end in WorkerTimeout and leave no worker process?"""
    worker = bwrap_box.start()
    worker.request({"op": "exec", "label": "c", "source": "def f():\n    while True: pass\n",
                    "want": ["f"]}, [], 10)
    with pytest.raises(WorkerTimeout):
        worker.request({"op": "call", "fn": "f", "args": [], "kwargs": {}}, [], 0.5)
    assert not worker.alive


def test_unsafe_tier_is_refused_unless_asked(monkeypatch):
    """Without bubblewrap or unshare, does the grader refuse unless unsafe grading is asked?"""
    import autograder.sandbox as sb

    monkeypatch.setattr(sb, "_probe", lambda name: f"{name} missing")
    with pytest.raises(SandboxUnavailable, match="--unsafe-no-sandbox"):
        sb.choose_tier()
    assert sb.choose_tier(allow_unsafe=True) == Tier("none", False)


def test_wire_never_decodes_objects():
    """Does the wire format turn objects, subclasses and huge arrays into WrongType?"""
    class Sub(np.ndarray):
        pass

    blobs: list[bytes] = []
    tree = wire.encode([object(), np.zeros(3).view(Sub), np.zeros(3, dtype=object)], blobs)
    header, out = wire.unpack(wire.pack({"v": tree}, blobs)[8:])
    values = wire.decode(header["v"], out)
    assert all(isinstance(v, wire.WrongType) for v in values)


def test_wire_rejects_forged_array_headers():
    """Does a .npy blob claiming 10^12 elements or an object dtype get rejected unread?"""
    import io

    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.zeros(2))
    forged = buf.getvalue().replace(b"(2,)", b"(1000000000000,)".ljust(4))
    with pytest.raises(wire.WireError):
        wire.read_npy(forged)
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([1, "a"], dtype=object), allow_pickle=True)
    with pytest.raises(wire.WireError):
        wire.read_npy(buf.getvalue())


def test_floats_travel_exactly():
    """Do floats, including nan, inf and subnormals, survive the wire bit for bit?"""
    values = (0.1, float("inf"), -0.0, 5e-324, np.float32(1.5), np.arange(5.0) / 3)
    blobs: list[bytes] = []
    tree = wire.encode(values, blobs)
    header, out = wire.unpack(wire.pack({"v": tree}, blobs)[8:])
    back = wire.decode(header["v"], out)
    assert back[:4] == values[:4] and str(back[3]) == "5e-324"
    assert type(back[4]) is np.float32 and np.array_equal(back[5], values[5])
    assert np.isnan(wire.decode(wire.encode(float("nan"), []), []))


def test_grade_command_refuses_without_a_sandbox(monkeypatch, tmp_path, capsys):
    """Does `autograder grade` refuse, write nothing and say how to opt in, with no sandbox?"""
    import autograder.sandbox as sb
    from autograder import cli

    monkeypatch.setattr(sb, "_probe", lambda name: f"{name} missing")
    out = tmp_path / "out"
    code = cli.main(["--course", str(ROOT / "course.yaml"), "grade", "softmax",
                     str(ROOT / "solutions/softmax/softmax.ipynb"), "--out", str(out)])
    assert code == cli.ExitStatus.ERROR
    assert "--unsafe-no-sandbox" in capsys.readouterr().err
    assert not list(out.rglob("results.json"))


@needs_bwrap
def test_worker_limits_and_private_tmp(bwrap_box):
    """Does the worker run under its rlimits, with a writable /tmp whose inodes are capped?"""
    from autograder.sandbox import TMP_INODES

    reply = run_cell(bwrap_box, (
        "import os, resource\n"
        "print([resource.getrlimit(getattr(resource, n))[0] for n in\n"
        "       ('RLIMIT_NPROC', 'RLIMIT_AS', 'RLIMIT_FSIZE', 'RLIMIT_CORE')])\n"
        "open('/tmp/x', 'w').write('ok')\n"
        "print(os.statvfs('/tmp').f_files, os.getuid())\n"))
    assert reply["ok"], reply
    limits, (inodes, uid) = reply["printed"].splitlines()[0], reply["printed"].split()[-2:]
    lim = Limits()
    assert limits == str([lim.processes, lim.memory_mb << 20, lim.file_size_mb << 20, 0])
    assert int(inodes) == TMP_INODES and int(uid) != 0


@needs_bwrap
def test_a_worker_that_cannot_start_is_a_tool_error(monkeypatch, course, tmp_path):
    """If no worker starts before any student code ran, is that an error, not zero points?"""
    import autograder.sandbox as sb
    from autograder import grading

    monkeypatch.setattr(sb, "_site_dirs", lambda: ())  # numpy cannot be found
    box = Sandbox(choose_tier(prefer="bubblewrap"), Limits(), files=())
    monkeypatch.setattr(grading, "sandbox_for", lambda assignment, tier: box)
    a = course.assignment("softmax")
    try:
        with pytest.raises(SandboxUnavailable, match="numpy"):
            grading.grade_submission(a, a.solution_notebook, seed=1, tier=box.tier)
    finally:
        box.close()


def test_wire_bounds_the_number_of_arrays_not_just_bytes():
    """Is a message of more than MAX_BLOBS tiny arrays refused before any is decoded?"""
    blobs: list[bytes] = []
    tree = wire.encode([np.zeros(1)] * (wire.MAX_BLOBS + 1), blobs)
    with pytest.raises(wire.WireError, match="arrays in one message"):
        wire.unpack(wire.pack({"v": tree}, blobs)[8:])


def test_decoding_counts_against_the_deadline():
    """Does decoding stop with DecodeTimeout once the call's deadline has passed?"""
    import time

    blobs: list[bytes] = []
    tree = wire.encode([np.zeros(1)] * 100, blobs)
    assert len(wire.decode(tree, blobs, deadline=time.monotonic() + 60)) == 100
    with pytest.raises(wire.DecodeTimeout):
        wire.decode(tree, blobs, deadline=time.monotonic() - 1)


@needs_bwrap
def test_keyrings_and_namespaces_are_denied_in_the_worker(bwrap_box):
    """Do add_key, keyctl, unshare and mount fail with EPERM for student code?"""
    reply = run_cell(bwrap_box, """
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
calls = {"add_key": (248, b"user", b"k", b"v", 1, -4), "keyctl": (250, 0, -4, 0),
         "unshare": (272, 0x10000000), "mount": (165, 0, b"/tmp", 0, 0x20 | 0x1000, 0),
         "ptrace": (101, 16, 1, 0, 0), "msgget": (68, 0, 0o1000 | 0o600)}
got = {}
for name, args in calls.items():
    ctypes.set_errno(0)
    got[name] = (libc.syscall(*args), errno.errorcode.get(ctypes.get_errno()))
raise RuntimeError(repr(sorted(got.items())))
""")
    message = reply["error"]["message"]
    for name in ("add_key", "keyctl", "unshare", "mount", "ptrace", "msgget"):
        assert f"('{name}', (-1, 'EPERM'))" in message, message


@needs_bwrap
def test_every_worker_has_a_uid_of_its_own_and_leaves_nothing(bwrap_box):
    """Do two workers of one sandbox run under different uids, and is nothing of either
    (processes, keys, IPC objects) left once they are killed?"""
    import os
    import time

    if os.geteuid() != 0:
        pytest.skip("uids are leased only when grading as root")
    from autograder import sandbox

    workers = [bwrap_box.start(), bwrap_box.start()]
    uids = [w.lease.uid for w in workers]
    assert uids[0] != uids[1] and all(sandbox.processes_of(u) for u in uids)
    for w in workers:
        w.kill()
    deadline = time.monotonic() + 5.0  # the kernel tears a pid namespace down asynchronously
    while any(sandbox.processes_of(u) for u in uids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(sandbox.processes_of(u) or sandbox.kernel_residue(u) for u in uids)


@pytest.mark.parametrize("setting, value, fix", [
    ("kernel/apparmor_restrict_unprivileged_userns", "1",
     "kernel.apparmor_restrict_unprivileged_userns=0"),
    ("kernel/unprivileged_userns_clone", "0", "kernel.unprivileged_userns_clone=1"),
    ("user/max_user_namespaces", "0", "user.max_user_namespaces=15000"),
])
def test_restricted_user_namespaces_are_named_with_their_fix(tmp_path, setting, value, fix):
    """Does the preflight name the setting that blocks user namespaces and how to change it?"""
    from autograder.sandbox import userns_restriction

    assert userns_restriction(tmp_path) == ""
    (tmp_path / setting).parent.mkdir(parents=True)
    (tmp_path / setting).write_text("1\n" if value == "0" else "0\n")
    assert userns_restriction(tmp_path) == ""  # the setting allows them
    (tmp_path / setting).write_text(f"{value}\n")
    assert fix in userns_restriction(tmp_path)


def test_a_failing_probe_says_why_namespaces_are_refused(monkeypatch):
    """When bwrap cannot start without root, does the tool error name the restriction?"""
    from autograder import sandbox

    class Failed:
        returncode, stderr = 1, b"bwrap: setting up uid map: Permission denied\n"

    sandbox._probe.cache_clear()
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(sandbox.Sandbox, "run_code", lambda self, code: Failed())
    monkeypatch.setattr(sandbox, "userns_restriction", lambda: "AppArmor restricts them: fix")
    try:
        with pytest.raises(SandboxUnavailable, match="Permission denied; AppArmor restricts"):
            choose_tier(prefer="bubblewrap")
    finally:
        sandbox._probe.cache_clear()


def test_kernel_residue_reads_keys_and_ipc_objects_of_one_uid(monkeypatch):
    """Are a uid's keys and System V objects found, and other uids' (or pids') not?"""
    from autograder import sandbox

    files = {
        "/proc/key-users": ["    0:     9 8/8 3/1000000 40/25000000",
                            "63005:     2 2/2 2/200 30/20000"],
        "/proc/sysvipc/msg": ["key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid",
                              "0 1 600 0 0 63007 0 63007 63007 63007 63007 0 0 0"],
        "/proc/sysvipc/sem": ["key semid perms nsems uid gid cuid cgid otime ctime"],
        "/proc/sysvipc/shm": ["key shmid perms size cpid lpid nattch uid gid cuid cgid",
                              "0 2 600 4096 63005 0 0 0 0 0 0 0 0 0 0 0"],
    }
    monkeypatch.setattr(sandbox, "_read_lines", lambda path: files.get(path, []))
    assert [r.split(":")[0] for r in sandbox.kernel_residue(63005)] == ["keys of uid 63005"]
    assert [r.split(":")[0] for r in sandbox.kernel_residue(63007)] == [
        "System V msg of uid 63007"]
    assert sandbox.kernel_residue(63006) == []
