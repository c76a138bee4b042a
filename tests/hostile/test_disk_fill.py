"""Filling the disk or the inodes.

A safe grader gives the worker only a private, size-limited and inode-limited /tmp, caps the
size of any file it writes, and shows it nothing else it can write to. A submission that
writes one huge file, fills /tmp with large files and then creates empty files until no inode
is left hits those limits quickly; everything it wrote disappears with its sandbox, and next
to a wrong softmax it earns what that wrong softmax earns.
"""
import re

from autograder.sandbox import TMP_INODES

from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

FILLER = '''
import os

def _fill():
    report = []
    try:
        with open("/tmp/huge", "wb") as f:
            while True:
                f.write(b"x" * 2**20)
    except OSError as exc:
        report.append(f"huge file stopped at {os.path.getsize('/tmp/huge') >> 20} MiB")
    written = 0
    try:
        for i in range(1000):
            with open(f"/tmp/big{i}", "wb") as f:
                for _ in range(15):
                    f.write(b"y" * 2**20)
                    written += 1
    except OSError:
        report.append(f"tmp full after {written} MiB")
    files = 0
    try:
        os.makedirs("/tmp/inodes", exist_ok=True)
        for i in range(10**7):
            os.close(os.open(f"/tmp/inodes/{i}", os.O_CREAT | os.O_WRONLY))
            files += 1
    except OSError:
        report.append(f"inodes gone after files={files}")
    for folder in ("/", "/usr", "/dev/shm", "/course", "/grader", os.path.expanduser("~")):
        try:
            open(os.path.join(folder, "fill"), "wb").write(b"z")
            report.append(f"wrote into {folder}")
        except OSError:
            pass
    raise RuntimeError("; ".join(report))

_fill()
'''


def test_disk_and_inode_floods_hit_the_limits(submission, grade_batch, short_course):
    """Do disk and inode floods stop at the sandbox's limits and leave no file behind?"""
    attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG},
                        prepend=[FILLER])
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(short_course, {"attack": attack, "twin": twin}, budget=60)
    batch.earns_like("attack", "twin")
    said = batch.messages("attack")
    files = int(re.search(r"files=(\d+)", said).group(1))
    assert files < TMP_INODES, said
    assert "huge file stopped at" in said and "wrote into /tmp" not in said
    assert "wrote into" not in said, said
