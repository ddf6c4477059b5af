"""A tiny stand-in for the Hugging Face Hub's file endpoints (the network boundary only).

``FakeHub`` serves ``/{repo}/resolve/{revision}/{filename}`` for HEAD and GET with the
headers ``huggingface_hub`` reads (commit, ETag, size), from an in-memory dict.
``FakeModelHub`` keeps model repos with commits, branches and tags (publish and hot-load tests).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


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


# -- model repos: create, preupload, commit, tag, refs, commits, resolve (publish + hot-load tests) -----------
def git_blob_oid(data: bytes) -> str:
    """The git object id the Hub reports for a regular (non-LFS) file (preupload ``oid``, ETag)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Recorded:
    """One request as the real client sent it (the token is kept so tests can check where it went)."""

    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def ndjson(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.body.splitlines() if line.strip()]


@dataclass
class FakeCommit:
    oid: str
    title: str
    message: str
    date: str
    parent: str | None
    files: dict[str, bytes]  # the whole tree at this commit
    operations: list[dict[str, Any]]  # what the commit request said (file contents decoded in `files`)


@dataclass
class FakeRepo:
    repo_id: str
    private: bool
    commits: dict[str, FakeCommit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)  # name -> oid
    tags: dict[str, str] = field(default_factory=dict)

    def resolve(self, rev: str) -> str | None:
        if rev in self.branches:
            return self.branches[rev]
        if rev in self.tags:
            return self.tags[rev]
        if rev in self.commits:
            return rev
        return None

    def history(self, oid: str) -> list[FakeCommit]:
        out = []
        while oid:
            c = self.commits[oid]
            out.append(c)
            oid = c.parent or ""
        return out


class FakeModelHub(LocalHTTPServer):
    """Model repos with the endpoints ``huggingface_hub`` calls for create_repo, create_commit (preupload says
    "regular" for every file, so contents travel base64 in the commit: no LFS/Xet transfer), create_tag,
    list_repo_refs, list_repo_commits, repo_info and hf_hub_download (HEAD/GET resolve).

    ``token``: when set, every request must carry it (else 401). ``fail(...)`` makes matching requests answer an
    HTTP status, or hang for ``delay`` seconds ("timeout"). ``requests`` records everything the client sent.
    ``files`` serves plain (repo, filename) -> bytes like :class:`FakeHub`.
    """

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.repos: dict[str, FakeRepo] = {}
        self.files: dict[tuple[str, str], bytes] = {}
        self.requests: list[Recorded] = []
        self.rules: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._clock = 0
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _serve(self):
                split = urlsplit(self.path)
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n) if n else b""
                rec = Recorded(self.command, unquote(split.path), parse_qs(split.query),
                               self.headers.get("authorization", ""), body)
                with hub._lock:
                    hub.requests.append(rec)
                    rule = hub._take_rule(rec)
                if rule is not None:
                    if rule["status"] == "timeout":
                        time.sleep(rule["delay"])
                        self.close_connection = True
                        return
                    return self._send(rule["status"], {"error": rule.get("message") or f"injected {rule['status']}"},
                                      {"X-Error-Code": rule["error_code"]} if rule.get("error_code") else {})
                if hub.token and rec.authorization != f"Bearer {hub.token}":
                    return self._send(401, {"error": "Invalid credentials in Authorization header"})
                try:
                    with hub._lock:
                        status, payload, headers = hub._route(rec, split.path)
                except _HubError as e:
                    return self._send(e.status, {"error": e.message}, {"X-Error-Code": e.code} if e.code else {})
                self._send(status, payload, headers)

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None):
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if "Content-Type" not in (headers or {}):
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                if self.command != "HEAD":
                    try:
                        self.wfile.write(raw)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _serve

        super().__init__(Handler)

    # -- test controls ---------------------------------------------------------------------------------------
    def fail(self, method: str, path_pattern: str, status: int | str, *, times: int | None = 1, delay: float = 3.0,
             message: str = "", error_code: str = "") -> None:
        """Answer the next ``times`` (None = all) requests matching ``method`` and the regex ``path_pattern`` with
        ``status`` (an HTTP code, or "timeout": no answer for ``delay`` seconds)."""
        with self._lock:
            self.rules.append({"method": method.upper(), "pattern": re.compile(path_pattern), "status": status,
                               "times": times, "delay": delay, "message": message, "error_code": error_code})

    def clear_failures(self) -> None:
        with self._lock:
            self.rules.clear()

    def _take_rule(self, rec: Recorded) -> dict[str, Any] | None:
        for rule in self.rules:
            if rule["method"] in (rec.method, "*") and rule["pattern"].search(rec.path):
                if rule["times"] is not None:
                    rule["times"] -= 1
                    if rule["times"] <= 0:
                        self.rules.remove(rule)
                return rule
        return None

    def commit_files(self, repo_id: str, files: dict[str, bytes], *, title: str = "upload", branch: str = "main",
                     private: bool = True) -> str:
        """Commit directly (test setup, or another publisher): the repo is created if needed. Returns the oid."""
        with self._lock:
            repo = self.repos.setdefault(repo_id, FakeRepo(repo_id, private))
            return self._commit(repo, branch, title, "", [], files, [])

    def tree(self, repo_id: str, rev: str = "main") -> dict[str, bytes]:
        repo = self.repos[repo_id]
        return dict(repo.commits[repo.resolve(rev)].files)

    def find(self, method: str, pattern: str) -> list[Recorded]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    # -- the Hub's side --------------------------------------------------------------------------------------
    def _commit(self, repo: FakeRepo, branch: str, title: str, message: str, deletes: list[str],
                adds: dict[str, bytes], ops: list[dict[str, Any]]) -> str:
        parent = repo.branches.get(branch)
        tree = dict(repo.commits[parent].files) if parent else {}
        for path in deletes:
            tree = {p: d for p, d in tree.items() if p != path and not p.startswith(path.rstrip("/") + "/")}
        tree.update(adds)
        self._clock += 1
        oid = hashlib.sha1(f"{repo.repo_id}\0{parent}\0{title}\0{self._clock}".encode()).hexdigest()
        date = f"2026-12-{1 + self._clock // 1440 % 28:02d}T{self._clock // 60 % 24:02d}:{self._clock % 60:02d}:00.000Z"
        repo.commits[oid] = FakeCommit(oid, title, message, date, parent, tree, ops)
        repo.branches[branch] = oid
        return oid

    def _repo(self, repo_id: str) -> FakeRepo:
        repo = self.repos.get(repo_id)
        if repo is None:
            raise _HubError(404, "Repository not found", "RepoNotFound")
        return repo

    def _rev(self, repo: FakeRepo, rev: str) -> str:
        oid = repo.resolve(unquote(rev))
        if oid is None:
            raise _HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        return oid

    def _route(self, rec: Recorded, raw_path: str) -> tuple[int, Any, dict[str, str]]:
        parts = [unquote(p) for p in raw_path.strip("/").split("/")]
        url = self.url
        if rec.method == "POST" and parts[:3] == ["api", "repos", "create"]:
            body = rec.json()
            repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else f"user/{body['name']}"
            if repo_id in self.repos:
                return 409, {"error": "You already created this model repo", "url": f"{url}/{repo_id}"}, {}
            self.repos[repo_id] = FakeRepo(repo_id, body.get("visibility", "private" if body.get("private") else
                                                               "public") == "private")
            return 200, {"url": f"{url}/{repo_id}", "name": repo_id, "id": repo_id}, {}
        if rec.method == "POST" and parts[:2] == ["api", "validate-yaml"]:
            return self._validate_yaml(rec.json().get("content", ""))
        if parts[:2] == ["api", "models"] and len(parts) >= 4:
            repo = self._repo(f"{parts[2]}/{parts[3]}")
            action, rest = (parts[4] if len(parts) > 4 else ""), parts[5:]
            rev = "/".join(rest) or "main"
            if rec.method == "POST" and action == "preupload":
                tree = repo.commits[self._rev(repo, rev)].files if repo.branches else {}
                files = [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
                          "oid": git_blob_oid(tree[f["path"]]) if f["path"] in tree else None}
                         for f in rec.json()["files"]]
                return 200, {"files": files, "commitOid": repo.branches.get("main")}, {}
            if rec.method == "POST" and action == "commit":
                return self._commit_request(repo, rev, rec)
            if rec.method == "POST" and action == "tag":
                oid = self._rev(repo, rev)
                tag = rec.json()["tag"]
                if tag in repo.tags:
                    raise _HubError(409, f"Tag {tag} already exists")
                repo.tags[tag] = oid
                return 200, {}, {}
            if rec.method == "GET" and action == "refs":
                def ref(kind, name, oid):
                    return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid}
                return 200, {"branches": [ref("heads", n, o) for n, o in repo.branches.items()], "converts": [],
                             "tags": [ref("tags", n, o) for n, o in repo.tags.items()], "pullRequests": []}, {}
            if rec.method == "GET" and action == "commits":
                return 200, [{"id": c.oid, "authors": [{"user": "modroute"}], "date": c.date, "title": c.title,
                              "message": c.message} for c in repo.history(self._rev(repo, rev))], {}
            if rec.method == "GET" and action in ("", "revision"):
                oid = self._rev(repo, rev)
                return 200, {"id": repo.repo_id, "sha": oid, "private": repo.private,
                             "siblings": [{"rfilename": p} for p in sorted(repo.commits[oid].files)]}, {}
        if len(parts) >= 5 and parts[2] == "resolve" and rec.method in ("GET", "HEAD"):
            repo_id, rev, path = f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:])
            if repo_id not in self.repos and (repo_id, path) in self.files:
                data = self.files[(repo_id, path)]
                return 200, data, {"X-Repo-Commit": "0" * 40, "ETag": f'"{hashlib.sha256(data).hexdigest()}"',
                                   "Content-Type": "application/octet-stream"}
            repo = self._repo(repo_id)
            oid = self._rev(repo, rev)
            tree = repo.commits[oid].files
            if path not in tree:
                raise _HubError(404, f"Entry not found: {path}", "EntryNotFound")
            return 200, tree[path], {"X-Repo-Commit": oid, "ETag": f'"{git_blob_oid(tree[path])}"',
                                     "Content-Type": "application/octet-stream"}
        raise _HubError(404, f"no such endpoint in the fake Hub: {rec.method} {raw_path}")

    def _commit_request(self, repo: FakeRepo, rev: str, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        lines = rec.ndjson()
        header = next((x["value"] for x in lines if x["key"] == "header"), {})
        branch = unquote(rev)
        if repo.branches and branch not in repo.branches:
            raise _HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        if header.get("parentCommit") and header["parentCommit"] != repo.branches.get(branch):
            raise _HubError(412, "A commit has happened since. Please refresh and try again.")
        adds: dict[str, bytes] = {}
        deletes: list[str] = []
        for item in lines:
            v = item["value"]
            if item["key"] == "file":
                adds[v["path"]] = base64.b64decode(v["content"]) if v.get("encoding") == "base64" else \
                    v["content"].encode()
            elif item["key"] == "lfsFile":
                raise _HubError(400, "this fake Hub takes regular files only (preupload said so)")
            elif item["key"] in ("deletedFile", "deletedFolder"):
                deletes.append(v["path"])
        oid = self._commit(repo, branch, header.get("summary", ""), header.get("description", ""), deletes, adds,
                           [{"key": x["key"], "path": x["value"].get("path")} for x in lines if x["key"] != "header"])
        return 200, {"commitUrl": f"{self.url}/{repo.repo_id}/commit/{oid}", "commitOid": oid,
                     "success": True}, {}

    @staticmethod
    def _validate_yaml(content: str) -> tuple[int, Any, dict[str, str]]:
        import yaml

        if not content.startswith("---\n"):
            return 200, {"errors": [], "warnings": [{"message": "empty or missing yaml metadata in repo card"}]}, {}
        try:
            meta = yaml.safe_load(content[4:content.index("\n---", 4)])
        except (ValueError, yaml.YAMLError) as e:
            return 400, {"errors": [{"message": f"invalid YAML: {e}"}], "warnings": []}, {}
        if not isinstance(meta, dict):
            return 400, {"errors": [{"message": "metadata must be a YAML mapping"}], "warnings": []}, {}
        return 200, {"errors": [], "warnings": []}, {}


class _HubError(Exception):
    def __init__(self, status: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


# -- Jobs: whoami, hardware, run, inspect, logs (SSE), cancel (pipeline runner tests) ------------------------
JOBS_HARDWARE = [
    {"name": "cpu-basic", "prettyName": "CPU Basic", "cpu": "2 vCPU", "ram": "16 GB", "ephemeralStorage": "50 GB",
     "accelerator": None, "unitCostMicroUSD": 167, "unitCostUSD": 0.000167, "unitLabel": "minute"},
    {"name": "cpu-upgrade", "prettyName": "CPU Upgrade", "cpu": "8 vCPU", "ram": "32 GB",
     "ephemeralStorage": "50 GB", "accelerator": None, "unitCostMicroUSD": 500, "unitCostUSD": 0.0005,
     "unitLabel": "minute"},
    {"name": "a10g-small", "prettyName": "Nvidia A10G - small", "cpu": "4 vCPU", "ram": "15 GB",
     "ephemeralStorage": "110 GB", "accelerator": {"type": "gpu", "model": "A10G", "quantity": "1", "vram": "24 GB",
                                                   "manufacturer": "Nvidia"},
     "unitCostMicroUSD": 16667, "unitCostUSD": 0.016667, "unitLabel": "minute"},
]


class FakeJobsHub(FakeModelHub):
    """:class:`FakeModelHub` plus the Jobs API ``huggingface_hub`` calls: whoami, list_jobs_hardware, run_job,
    inspect_job, list_jobs, fetch_job_logs (server-sent events) and cancel_job.

    Jobs start in SCHEDULING; tests move them on with ``set_stage`` and append log lines with ``add_log``.
    Job specs are kept as the client posted them (``posted``), secrets included, so a test can check where the
    token went; the answers, like the real Hub's, never echo secret values.
    """

    def __init__(self, token: str | None = None, user: str = "alice") -> None:
        super().__init__(token=token)
        self.user = user
        self.jobs: dict[str, dict[str, Any]] = {}
        self.posted: dict[str, dict[str, Any]] = {}
        self.job_logs: dict[str, list[str]] = {}
        self.hardware = [dict(h) for h in JOBS_HARDWARE]
        self.limits: list[dict[str, Any]] = []

    def set_stage(self, job_id: str, stage: str, *, message: str | None = None, running_secs: int | None = None,
                  scheduling_secs: int = 5) -> None:
        with self._lock:
            job = self.jobs[job_id]
            job["status"] = {"stage": stage, "message": message}
            if stage != "SCHEDULING" and not job.get("startedAt"):
                job["startedAt"] = "2026-12-01T10:00:05.000Z"
            if stage in ("COMPLETED", "ERROR", "CANCELED", "DELETED"):
                job["finishedAt"] = "2026-12-01T10:10:05.000Z"
            job["durations"] = {"schedulingSecs": scheduling_secs, "runningSecs": running_secs,
                                "totalSecs": (running_secs or 0) + scheduling_secs}

    def rate_limit(self, method: str, path_pattern: str, retry_after: int, times: int = 1) -> None:
        """Answer the next ``times`` matching Jobs requests with 429 and a ``Retry-After`` header."""
        with self._lock:
            self.limits.append({"method": method.upper(), "pattern": re.compile(path_pattern),
                                "retry_after": retry_after, "times": times})

    def add_log(self, job_id: str, *lines: str) -> None:
        with self._lock:
            self.job_logs.setdefault(job_id, []).extend(lines)

    def _route(self, rec: Recorded, raw_path: str) -> tuple[int, Any, dict[str, str]]:
        parts = [unquote(p) for p in raw_path.strip("/").split("/")]
        if parts == ["api", "whoami-v2"] and rec.method == "GET":
            return 200, {"type": "user", "id": "u-1", "name": self.user, "fullname": self.user,
                         "auth": {"type": "access_token", "accessToken": {"role": "write"}}}, {}
        if parts[:2] == ["api", "models"] and len(parts) >= 6 and parts[4] == "tree" and rec.method == "GET":
            return self._tree(f"{parts[2]}/{parts[3]}", parts[5], "/".join(parts[6:]))
        if parts[:2] != ["api", "jobs"]:
            return super()._route(rec, raw_path)
        for lim in self.limits:
            if lim["method"] == rec.method and lim["pattern"].search(rec.path):
                lim["times"] -= 1
                if lim["times"] <= 0:
                    self.limits.remove(lim)
                return 429, {"error": "You have been rate-limited"}, {"Retry-After": str(lim["retry_after"])}
        if parts[2:] == ["hardware"] and rec.method == "GET":
            return 200, self.hardware, {}
        if len(parts) == 3 and rec.method == "POST":
            return self._create_job(parts[2], rec.json())
        if len(parts) == 3 and rec.method == "GET":
            return 200, [self._public(j) for j in self.jobs.values() if j["owner"]["name"] == parts[2]], {}
        if len(parts) >= 4:
            job = self.jobs.get(parts[3])
            if job is None or job["owner"]["name"] != parts[2]:
                raise _HubError(404, f"Job {parts[3]} not found")
            tail = parts[4:]
            if not tail and rec.method == "GET":
                return 200, self._public(job), {}
            if tail == ["logs"] and rec.method == "GET":
                lines = self.job_logs.get(job["id"], [])
                n = rec.query.get("tail")
                if n:
                    lines = lines[-int(n[0]):]
                events = ["data: " + json.dumps({"data": "===== Job started at 2026-12-01 10:00:05 =====",
                                                 "timestamp": "2026-12-01T10:00:05Z"})]
                events += ["data: " + json.dumps({"data": line, "timestamp": "2026-12-01T10:00:06Z"})
                           for line in lines]
                return 200, ("\n\n".join(events) + "\n\n").encode(), {"Content-Type": "text/event-stream"}
            if tail == ["cancel"] and rec.method == "POST":
                job["status"] = {"stage": "CANCELED", "message": "canceled by the user"}
                job["finishedAt"] = "2026-12-01T10:03:05.000Z"
                return 200, {}, {}
        raise _HubError(404, f"no such endpoint in the fake Hub: {rec.method} {raw_path}")

    def _tree(self, repo_id: str, rev: str, under: str) -> tuple[int, Any, dict[str, str]]:
        """``list_repo_tree(recursive=True)`` (what ``snapshot_download`` lists): every file, one page."""
        repo = self._repo(repo_id)
        files = repo.commits[self._rev(repo, rev)].files
        prefix = under.strip("/") + "/" if under.strip("/") else ""
        return 200, [{"type": "file", "path": p, "size": len(d), "oid": git_blob_oid(d)}
                     for p, d in sorted(files.items()) if p.startswith(prefix)], {}

    def _create_job(self, namespace: str, spec: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if namespace != self.user:
            raise _HubError(403, f"you cannot run jobs in {namespace}")
        flavors = {h["name"] for h in self.hardware}
        if spec.get("flavor") not in flavors:
            raise _HubError(400, f"unknown flavor {spec.get('flavor')!r}")
        job_id = hashlib.sha1(f"job{len(self.jobs)}{time.time()}".encode()).hexdigest()[:24]
        self.posted[job_id] = spec
        self.jobs[job_id] = {
            "id": job_id, "createdAt": "2026-12-01T10:00:00.000Z", "dockerImage": spec.get("dockerImage"),
            "spaceId": spec.get("spaceId"), "command": spec["command"], "arguments": spec.get("arguments", []),
            "environment": spec.get("environment", {}), "secrets": sorted(spec.get("secrets", {})),
            "flavor": spec["flavor"], "labels": spec.get("labels"), "status": {"stage": "SCHEDULING", "message": None},
            "owner": {"id": "u-1", "name": namespace, "type": "user"}}
        return 200, self._public(self.jobs[job_id]), {}

    @staticmethod
    def _public(job: dict[str, Any]) -> dict[str, Any]:
        return {**job, "secrets": {k: None for k in job["secrets"]}}
