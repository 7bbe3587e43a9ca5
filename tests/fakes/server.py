"""A small recording HTTP server on 127.0.0.1 for fake platform APIs.

Every request is recorded (method, path, headers, raw body, parsed body). Answers come
from `script(path_suffix, [Answer, ...])`: queued answers are used in order for requests
whose path ends with the suffix; when none is queued, `default(request)` answers.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    data: Any = None            # JSON body, or form fields (nested JSON decoded)
    status: int = 0             # the status the fake answered with

    @property
    def route(self) -> str:
        """The path without its query string."""
        return self.path.split("?")[0]

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Answer:
    status: int = 200
    body: Any = field(default_factory=dict)  # dict/list → JSON; str/bytes as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0          # seconds before answering (timeouts)


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._scripts: dict[str, deque[Answer]] = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Recorded(self.command, self.path, dict(self.headers.items()), body,
                               fake.parse_body(self.headers.get("Content-Type", ""), body))
                with fake._lock:
                    fake.requests.append(rec)
                answer = fake._next(rec)
                rec.status = answer.status
                if answer.delay:
                    time.sleep(answer.delay)
                payload = answer.body
                if isinstance(payload, (dict, list)):
                    payload = json.dumps(payload).encode()
                elif isinstance(payload, str):
                    payload = payload.encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_POST = do_GET = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a delayed answer must not hold up stop()
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name=f"fake-{type(self).__name__}")

    # -- control --------------------------------------------------------------------

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, path_suffix: str, answers: list[Answer]) -> None:
        with self._lock:
            self._scripts.setdefault(path_suffix, deque()).extend(answers)

    def calls(self, path_suffix: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.route.endswith(path_suffix)]

    def wait_for(self, path_suffix: str, count: int = 1, timeout: float = 10.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(path_suffix)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to …{path_suffix}, got "
                             f"{len(self.calls(path_suffix))}")

    # -- hooks ----------------------------------------------------------------------

    def _next(self, rec: Recorded) -> Answer:
        with self._lock:
            for suffix, queue in self._scripts.items():
                if rec.route.endswith(suffix) and queue:
                    return queue.popleft()
        return self.default(rec)

    def default(self, rec: Recorded) -> Answer:
        return Answer(404, {"message": "not found"})

    @staticmethod
    def parse_body(content_type: str, body: bytes) -> Any:
        if not body:
            return None
        if "json" in content_type:
            try:
                return json.loads(body)
            except ValueError:
                return None
        if "x-www-form-urlencoded" in content_type:
            from urllib.parse import parse_qsl

            fields: dict[str, Any] = {}
            for key, value in parse_qsl(body.decode(), keep_blank_values=True):
                fields[key] = value
                if value[:1] in ("{", "["):  # PTB sends nested objects as JSON strings
                    try:
                        fields[key] = json.loads(value)
                    except ValueError:
                        pass
            return fields
        return None
