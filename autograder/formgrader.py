"""`autograder formgrader RESULTS`: nbgrader's formgrader over a graded folder, on loopback.

The written answers are graded in nbgrader's own web interface. RESULTS/nbgrader/ becomes an
nbgrader course directory with what formgrader needs: gradebook.db (every submission, its
autograded scores and the written answers to grade), source/<assignment>/<notebook> (the
release notebook: formgrader lists assignments from there) and
autograded/<student>/<assignment>/<notebook>. A Jupyter server (nbgrader's formgrader is one
of its extensions) then serves it on 127.0.0.1 with a fresh token. Scores entered there are
written to gradebook.db, the store every later output reads (written.py).
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from . import batch, written
from .course import Course
from .errors import UsageError

CONFIG = """\
# Written by `autograder formgrader`: this folder is an nbgrader course directory.
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "course"
c.Exchange.root = {exchange!r}  # release and collect are not used: submissions come from grade
"""


@dataclass(frozen=True)
class Server:
    """How to start formgrader over one results folder."""

    root: Path
    """The nbgrader course directory (RESULTS/nbgrader)."""
    port: int
    """TCP port on 127.0.0.1."""
    token: str
    """The Jupyter server's token (the URL carries it)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/formgrader?token={self.token}"

    def command(self) -> list[str]:
        """The Jupyter server command line; run it with `root` as the working directory."""
        root_user = ["--allow-root"] if os.geteuid() == 0 else []  # e.g. in a container
        return [sys.executable, "-m", "jupyter", "server", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}", *root_user]

    def environment(self) -> dict[str, str]:
        """The server's environment: its runtime files stay in the course folder."""
        return {**os.environ, "JUPYTER_RUNTIME_DIR": str(self.root / ".jupyter-runtime")}


def prepare(results: Path, course: Course, *, port: int = 0) -> Server:
    """Bring RESULTS/nbgrader up to date for formgrader; port 0 picks a free one."""
    reports = batch.Store(results).reports()
    if not reports:
        raise UsageError(f"{results} holds no graded submissions (no {batch.RECORDS}/); pass "
                         "the --out folder of `autograder grade` or `autograder merge`")
    from .reports import nbgrader_db  # imports nbgrader: only for this command

    root = (results / written.NBGRADER).resolve()
    nbgrader_db.write(reports, root, course)
    (root / "exchange").mkdir(exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        CONFIG.format(root=str(root), exchange=str(root / "exchange")), encoding="utf-8")
    return Server(root, port or free_port(), secrets.token_hex(16))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(server: Server, *, log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start the server in the background; its output goes to `log` (root/formgrader.log)."""
    log = log or server.root / "formgrader.log"
    with log.open("ab") as sink:
        return subprocess.Popen(server.command(), cwd=server.root, stdout=sink,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=server.environment())


def serve(server: Server, argv_extra: Sequence[str] = ()) -> int:
    """Run the server in the foreground until it stops; Ctrl-C stops it (status 0)."""
    process = subprocess.Popen([*server.command(), *argv_extra], cwd=server.root,
                               env=server.environment(), stdin=subprocess.DEVNULL)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=30)
        return 0
