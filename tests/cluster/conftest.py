"""A Redis server of the tests' own (``redis-server`` on a free port, nothing kept on disk
unless asked), which a test may stop and start again to play an outage."""

import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
                "--save", "", "--appendonly", "no", "--dbfilename", "dump.rdb",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self, *, keep_data: bool = False):
        """Stop it; with ``keep_data`` its data is saved and comes back at the next start (a
        server that was only unreachable for a while)."""
        if self.process is None:
            return
        if keep_data:
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "shutdown", "save"], capture_output=True, check=False
            )
        else:
            self.process.terminate()
        self.process.wait(10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
