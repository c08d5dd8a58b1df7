"""Starting the real app on loopback for the client and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningApp:
    def __init__(self, index_dir: Path, corpus_dir: Path, *extra: str, environment: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(index_dir.parent / f"app-{self.port}.log", "w")
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(environment or {})}
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--index", str(index_dir), "--corpus", str(corpus_dir),
             "--port", str(self.port), *extra],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT))
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited: {Path(self.log.name).read_text()}")
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except OSError as error:
                if "401" in str(error):
                    return
                time.sleep(0.5)
        raise RuntimeError("the app did not start in time")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
