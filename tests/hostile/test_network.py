"""Opening a network connection to an answer server on loopback.

A safe grader gives the worker no network: a server on the grader's loopback that answers
every softmax query correctly (over TCP on 127.0.0.1 and ::1, or on the machine's own
address) is unreachable, and so is a Unix socket in a folder of the grader. The submission
falls back to an honest wrong softmax and earns exactly what that earns; the server never
sees a connection.
"""
import io
import socket
import threading

import numpy as np

from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

CLIENT = '''
import io, socket
import numpy as np

ADDRESSES = {addresses!r}
UNIX = {unix!r}

def _ask(scores):
    for family, address in ADDRESSES:
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.settimeout(0.3)
                s.connect(tuple(address))
                return _exchange(s, scores)
        except OSError:
            pass
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(0.3)
            s.connect(UNIX)
            return _exchange(s, scores)
    except OSError:
        return None

def _exchange(s, scores):
    buf = io.BytesIO()
    np.save(buf, np.asarray(scores, dtype=float))
    data = buf.getvalue()
    s.sendall(len(data).to_bytes(8, "little") + data)
    size = int.from_bytes(s.recv(8), "little")
    answer = b""
    while len(answer) < size:
        answer += s.recv(size - len(answer))
    return np.load(io.BytesIO(answer))

_wrong = softmax

def softmax(scores):
    answer = _ask(scores)
    return answer if answer is not None else _wrong(scores)
'''


class AnswerServer:
    """Answers softmax queries correctly, on TCP and Unix sockets; counts connections."""

    def __init__(self, unix_path: str) -> None:
        self.connections = 0
        self.sockets = []
        for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1"),
                             (socket.AF_INET, _own_address())):
            try:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.bind((host, 0))
            except OSError:
                continue
            self.sockets.append(s)
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.bind(unix_path)
        self.sockets.append(unix)
        for s in self.sockets:
            s.listen(8)
            threading.Thread(target=self._serve, args=(s,), daemon=True).start()

    def addresses(self) -> list:
        return [(int(s.family), list(s.getsockname()[:2])) for s in self.sockets
                if s.family != socket.AF_UNIX]

    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                size = int.from_bytes(conn.recv(8), "little")
                data = b""
                while len(data) < size:
                    data += conn.recv(size - len(data))
                s = np.load(io.BytesIO(data))
                e = np.exp(s - s.max(axis=-1, keepdims=True))
                buf = io.BytesIO()
                np.save(buf, e / e.sum(axis=-1, keepdims=True))
                conn.sendall(len(buf.getvalue()).to_bytes(8, "little") + buf.getvalue())

    def close(self) -> None:
        for s in self.sockets:
            s.close()


def _query(address: tuple, scores: np.ndarray) -> np.ndarray:
    family, (host, port) = address
    with socket.create_connection((host, port), timeout=5) as s:
        buf = io.BytesIO()
        np.save(buf, scores)
        s.sendall(len(buf.getvalue()).to_bytes(8, "little") + buf.getvalue())
        size = int.from_bytes(s.recv(8), "little")
        data = b""
        while len(data) < size:
            data += s.recv(size - len(data))
    return np.load(io.BytesIO(data))


def _own_address() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def test_no_network_reaches_an_answer_server(submission, grade_batch, hostile_course, tmp_path):
    """Can a submission fetch correct answers from a server on the grader's machine?"""
    server = AnswerServer(str(tmp_path / "answers.sock"))
    try:
        scores = np.array([[1.0, 2.0, 3.0]])
        answer = _query(server.addresses()[0], scores)  # the server works, from outside
        assert np.allclose(answer.sum(axis=-1), 1.0) and server.connections == 1
        server.connections = 0
        client = CLIENT.format(addresses=server.addresses(), unix=str(tmp_path / "answers.sock"))
        attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG + client})
        twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
        batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=90)
    finally:
        server.close()
    assert server.connections == 0
    batch.earns_like("attack", "twin")
