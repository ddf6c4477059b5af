"""A tiny stand-in for the Hugging Face Hub's file endpoints (the network boundary only).

Serves ``/{repo}/resolve/{revision}/{filename}`` for HEAD and GET with the
headers ``huggingface_hub`` reads (commit, ETag, size), from an in-memory dict.
"""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalHTTPServer:
    """An ``http.server`` on a free 127.0.0.1 port, served from a thread while the ``with`` block runs."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeHub(LocalHTTPServer):
    def __init__(self) -> None:
        self.files: dict[tuple[str, str], bytes] = {}
        self.requests: list[tuple[str, str, str]] = []  # (method, path, authorization)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep test output clean
                pass

            def _lookup(self):
                parts = self.path.split("?")[0].strip("/").split("/")
                if len(parts) >= 5 and parts[2] == "resolve":
                    key = ("/".join(parts[:2]), "/".join(parts[4:]))
                    return hub.files.get(key)
                return None

            def _headers(self, data: bytes | None):
                hub.requests.append((self.command, self.path, self.headers.get("authorization", "")))
                if data is None:
                    self.send_response(404)
                    self.send_header("X-Error-Code", "EntryNotFound")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return False
                self.send_response(200)
                self.send_header("X-Repo-Commit", "0" * 40)
                self.send_header("ETag", '"' + hashlib.sha256(data).hexdigest() + '"')
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()
                return True

            def do_HEAD(self):
                self._headers(self._lookup())

            def do_GET(self):
                data = self._lookup()
                if self._headers(data):
                    self.wfile.write(data)

        super().__init__(Handler)
