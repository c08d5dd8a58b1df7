"""Talking to an OpenAI-compatible chat server: llama.cpp, Ollama, vLLM or a hosted API.

Design choice: plain `httpx` and the one request every such server understands,
`POST {base}/chat/completions` with `stream: true`, read as server-sent events; no
client framework. The request runs in a worker thread that hands each piece of text
to the caller through a queue, so the caller's time limit is exact (it stops
waiting at the deadline whatever the socket does) and a reply that stops without
its `[DONE]` or a finish reason is known to be cut off, not mistaken for a short
answer. Every failure is one typed `LLMError` with a kind the answerer can word for
the user: unreachable, slow, interrupted, refused or garbled.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import LLMError

CONNECT_SECONDS = 5.0
_END = object()


@dataclass
class Endpoint:
    """An OpenAI-compatible server at `url` (its base, ending in /v1 for most)."""

    url: str
    model: str | None = None
    key: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    _client: object = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self):
        self.url = self.url.rstrip("/")

    def client(self):
        import httpx

        with self._lock:
            if self._client is None:
                headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
                self._client = httpx.Client(headers=headers, timeout=httpx.Timeout(
                    self.timeout, connect=min(CONNECT_SECONDS, self.timeout)), trust_env=False)
            return self._client

    def model_name(self) -> str:
        """The configured model, else the first one the server lists (a llama.cpp
        server serves one), else "default"."""
        if self.model:
            return self.model
        try:
            reply = self.client().get(f"{self.url}/models", timeout=min(CONNECT_SECONDS, self.timeout))
            models = reply.json().get("data") or []
            if reply.status_code < 400 and models and models[0].get("id"):
                self.model = str(models[0]["id"])
                return self.model
        except Exception:  # noqa: BLE001  (any failure here shows again, typed, on the first question)
            pass
        return "default"

    def chat(self, messages: list[dict], *, max_tokens: int = 400, temperature: float = 0.0,
             timeout: float | None = None, stop: list[str] | None = None) -> Iterator[str]:
        """The reply's text, piece by piece as the server streams it. Raises
        `LLMError` when the whole reply does not come within `timeout` seconds."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        pieces: queue.Queue = queue.Queue()
        halt = threading.Event()
        body = {"model": self.model_name(), "messages": messages, "stream": True, "max_tokens": max_tokens,
                "temperature": temperature}
        if stop:
            body["stop"] = stop[:4]  # OpenAI's limit
        worker = threading.Thread(target=self._read, args=(body, pieces, halt), daemon=True,
                                  name="qa-llm-stream")
        worker.start()
        try:
            while True:
                remaining = deadline - time.monotonic()
                try:
                    piece = pieces.get(timeout=max(remaining, 0.0))
                except queue.Empty:
                    raise LLMError("slow", f"no whole answer within {timeout:g} s") from None
                if piece is _END:
                    return
                if isinstance(piece, LLMError):
                    raise piece
                yield piece
        finally:
            halt.set()

    def _read(self, body: dict, pieces: queue.Queue, stop: threading.Event) -> None:
        try:
            for piece in self._events(body, stop):
                if stop.is_set():
                    return
                pieces.put(piece)
            pieces.put(_END)
        except LLMError as error:
            pieces.put(error)
        except Exception as error:  # noqa: BLE001  (the caller gets it typed)
            pieces.put(_classify(error, self.url))

    def _events(self, body: dict, stop: threading.Event) -> Iterator[str]:
        with self.client().stream("POST", f"{self.url}/chat/completions", json=body) as reply:
            if reply.status_code >= 400:
                detail = reply.read().decode("utf-8", "replace")[:300]
                raise LLMError("refused", f"HTTP {reply.status_code} from {self.url}: {_error_text(detail)}")
            if "text/event-stream" not in reply.headers.get("content-type", ""):
                # A server that ignores `stream` answers with one JSON reply.
                message = _json(reply.read().decode("utf-8", "replace"))
                choice = (message.get("choices") or [{}])[0]
                content = (choice.get("message") or {}).get("content") or choice.get("text")
                if content is None:
                    raise LLMError("garbled", f"{self.url} gave no answer text")
                yield content
                return
            finished = False
            for line in reply.iter_lines():
                if stop.is_set():
                    return
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                event = _json(data)
                if event.get("error"):
                    raise LLMError("refused", f"{self.url}: {_error_text(json.dumps(event['error']))}")
                for choice in event.get("choices") or []:
                    content = (choice.get("delta") or {}).get("content") or choice.get("text") or ""
                    if content:
                        yield content
                    finished = finished or bool(choice.get("finish_reason"))
            if not finished:
                raise LLMError("interrupted", f"{self.url} stopped mid-answer (the stream ended without its end)")


def _json(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        raise LLMError("garbled", f"not an OpenAI-compatible reply: {text[:120]!r}") from None
    if not isinstance(value, dict):
        raise LLMError("garbled", f"not an OpenAI-compatible reply: {text[:120]!r}")
    return value


def _error_text(detail: str) -> str:
    try:
        value = json.loads(detail)
        if isinstance(value, dict):
            error = value.get("error", value)
            return str(error.get("message") if isinstance(error, dict) else error)[:200]
    except ValueError:
        pass
    return " ".join(detail.split())[:200]


def _classify(error: Exception, url: str) -> LLMError:
    import httpx

    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
        return LLMError("unreachable", f"cannot connect to {url} ({error or type(error).__name__})")
    if isinstance(error, httpx.TimeoutException):
        return LLMError("slow", f"{url} sent nothing for too long")
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError, httpx.StreamError)):
        return LLMError("interrupted", f"{url} closed the connection mid-answer")
    if isinstance(error, httpx.UnsupportedProtocol) or isinstance(error, httpx.InvalidURL):
        return LLMError("unreachable", f"{url} is not an http(s) address")
    return LLMError("interrupted", f"{url}: {type(error).__name__}: {error}")
