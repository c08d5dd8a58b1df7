"""A scripted OpenAI-compatible chat server on loopback, for the deterministic tests
of the generative path (the real llama.cpp server is in tests/test_llm_server.py).

Each request gets the next reply of the script, or the last one: the text to
stream (in pieces of a few characters), and how to misbehave: `cut_after` pieces
then close the connection without finishing, `delay` seconds before the first
piece, `status` for an HTTP error, `stream=False` for one JSON reply. With
`respond`, a function of the request (its JSON, messages included) gives the reply
instead: a scripted model that reads the prompt (bench/claim_check.py).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    text: str = ""
    cut_after: int | None = None
    delay: float = 0.0
    piece_delay: float = 0.0
    status: int = 200
    stream: bool = True
    piece: int = 4


class FakeLLM:
    def __init__(self, *replies: Reply | str, model: str = "fake-model",
                 respond: Callable[[dict], Reply | str] | None = None):
        self.replies = [reply if isinstance(reply, Reply) else Reply(reply) for reply in replies] or [Reply()]
        self.model = model
        self.respond = respond
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                body = json.dumps({"object": "list", "data": [{"id": owner.model, "object": "model"}]}).encode()
                self._send(200, body, "application/json")

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                request["authorization"] = self.headers.get("authorization")
                owner.requests.append(request)
                if owner.respond is not None:
                    reply = owner.respond(request)
                    reply = reply if isinstance(reply, Reply) else Reply(reply)
                else:
                    reply = owner.replies[min(len(owner.requests) - 1, len(owner.replies) - 1)]
                time.sleep(reply.delay)
                if reply.status >= 400:
                    self._send(reply.status, json.dumps({"error": {"message": "model 'x' not found"}}).encode(),
                               "application/json")
                    return
                if not reply.stream or not request.get("stream"):
                    body = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                                                    "finish_reason": "stop"}]}).encode()
                    self._send(200, body, "application/json")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                pieces = [reply.text[i:i + reply.piece] for i in range(0, len(reply.text), reply.piece)]
                for number, piece in enumerate(pieces):
                    if reply.cut_after is not None and number >= reply.cut_after:
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        return
                    event = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self._chunk(f"data: {json.dumps(event)}\n\n")
                    time.sleep(reply.piece_delay)
                self._chunk("data: " + json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                            + "\n\n")
                self._chunk("data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def _chunk(self, text: str) -> None:
                data = text.encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that hangs up early is no error here
        self.server.block_on_close = False  # a reply still sleeping does not hold up the test
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeLLM":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
