"""Hot-load published artifacts from a Hub model repo into the running server (``MODROUTE_HUB_REPO``).

``HubSync.check()`` resolves the followed revision (``MODROUTE_HUB_REVISION``: a branch, tag or commit) to
a commit, downloads that commit's ``manifest.json`` and the files it lists into a directory of their own,
and verifies every modifier with the registry's own checks (base fingerprint, size, SHA-256, zstd content,
LoRA shapes) *before* anything that serves is touched. The verified set then replaces the serving manifest
through the engine's reload path, which waits its turn in the request queue: a stream already running
finishes with the adapters it started with and the next request sees the new ones. A refused new version
leaves its previous version serving (said in the report); router artifacts (``router/manifest.json``) are
loaded the same way and swapped in role by role. The revision's manifest replaces the local one: a modifier
it does not list stops serving (``removed``); a revision without router artifacts keeps the current router.
Accurate mode's tool artifacts (``tools/``) are published but not hot-loaded (they load at start).

``revisions()`` lists tags and commits for a rollback picker, ``load_revision(rev)`` loads one and pins
it (periodic checks then keep it until another revision is loaded). Nothing here raises into a request:
``check`` returns a ``SyncReport`` whose messages say what went wrong; the token is never in them.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, Field

from runtime.artifacts import ArtifactEntry, ArtifactError, read_manifest, write_manifest
from runtime.hub_client import artifact_files, ensure_request_timeout, hub_endpoint, hub_error_message, scrub

log = logging.getLogger("modroute.hub_sync")

MANIFEST = "manifest.json"
ROUTER_MANIFEST = "router/manifest.json"
KEEP_REVISIONS = 3  # downloaded revisions kept on disk besides those still serving (fast rollback)


class HubSyncError(Exception):
    """A Hub request failed; the message is meant for the admin tab as it is."""


# -- shapes the admin tab shows ----------------------------------------------------------------------------
class SyncReport(BaseModel):
    ok: bool = Field(description="Everything in the revision was checked and loaded (or already serving).")
    repo: str
    revision: str = Field(description="What was asked for: branch, tag or commit.")
    commit: str = Field(default="", description="The commit it resolved to.")
    changed: bool = Field(default=False, description="Something that serves changed.")
    loaded: list[str] = Field(default_factory=list, description="Modifiers loaded or replaced by a new version.")
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list, description="Modifiers not in this revision any more.")
    refused: dict[str, str] = Field(default_factory=dict, description="Modifier -> why it was refused.")
    router: list[str] = Field(default_factory=list, description="Router roles loaded from this revision.")
    problems: list[str] = Field(default_factory=list)
    message: str = ""
    checked_at: float = Field(default_factory=time.time)
    seconds: float = 0.0


class HubRevision(BaseModel):
    name: str = Field(description="Tag name, or the commit id for a commit.")
    kind: str = Field(description="tag | commit")
    commit: str
    title: str = ""
    date: str = ""
    current: bool = Field(default=False, description="This commit is what serves now.")


class HubState(BaseModel):
    repo: str
    enabled: bool
    target: str = Field(description="The revision followed (a rollback pins it).")
    revision: str = Field(default="", description="The revision last loaded.")
    commit: str = ""
    loaded_at: float | None = None
    last_check_at: float | None = None
    last_report: SyncReport | None = None
    problems: list[str] = Field(default_factory=list)
    check_interval_s: float = 0.0
    modifiers: list[dict[str, Any]] = Field(default_factory=list)
    router_version: str = ""


# -- the sync ----------------------------------------------------------------------------------------------
class HubSync:
    """Keeps the serving modifiers (and router) at a revision of ``settings.hub_repo``.

    ``engine``: the open ``runtime.engine.Engine``. ``router`` / ``chat``: the services' Router and
    ChatService, to swap router artifacts into (None = router artifacts are not loaded). ``router_versions``:
    a ``RouterVersionSet`` re-read after a new router is loaded (its layers adapt the quality model).
    """

    def __init__(self, settings, engine, router_versions=None, *, router=None, chat=None):
        self.settings = settings
        self.engine = engine
        self.router_versions = router_versions
        self.router = router
        self.chat = chat
        self.repo = (settings.hub_repo or "").strip()
        self.root = Path(settings.cache_dir) / "hub-sync" / self.repo.replace("/", "--")
        self._target = settings.hub_revision or "main"
        self._revision = ""
        self._commit = ""
        self._router_sha = ""
        self._recent: list[str] = []
        self._loaded_at: float | None = None
        self._last: SyncReport | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_services(cls, services) -> HubSync:
        return cls(services.settings, services.engine, getattr(services.router, "versions", None),
                   router=services.router, chat=services.chat)

    # -- plumbing ----------------------------------------------------------------------------------------
    @property
    def _token(self) -> str | None:
        return self.settings.hf_token or None

    @property
    def _timeout(self) -> float:
        return float(self.settings.hub_timeout)

    def _msg(self, exc: BaseException, action: str, **kw) -> str:
        return hub_error_message(exc, action=action, repo_id=self.repo, timeout=self._timeout, token=self._token,
                                 endpoint=hub_endpoint(), **kw)

    def _resolve(self, revision: str) -> str:
        """The commit ``revision`` points at now (a HEAD of its manifest: 401/404/timeout surface here)."""
        from huggingface_hub import get_hf_file_metadata, hf_hub_url

        endpoint = hub_endpoint()
        try:
            meta = get_hf_file_metadata(hf_hub_url(self.repo, MANIFEST, revision=revision, endpoint=endpoint),
                                        token=self._token, timeout=self._timeout, endpoint=endpoint)
        except Exception as e:
            raise HubSyncError(self._msg(e, f"Checking {self.repo}", revision=revision, filename=MANIFEST)) from e
        return meta.commit_hash or revision

    def _download(self, filename: str, commit: str, dest: Path) -> Path:
        from huggingface_hub import hf_hub_download

        try:
            return Path(hf_hub_download(self.repo, filename, revision=commit, local_dir=dest, token=self._token,
                                        endpoint=hub_endpoint(), etag_timeout=self._timeout))
        except Exception as e:
            raise HubSyncError(self._msg(e, f"Downloading {filename}", revision=commit[:12],
                                         filename=filename)) from e

    def _state_path(self) -> Path:
        return self.root / "state.json"

    def _serving_manifest(self) -> Path:
        return self.root / "serving-manifest.json"

    def _save_state(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self._state_path().with_suffix(".tmp")
        tmp.write_text(json.dumps({"repo": self.repo, "target": self._target, "revision": self._revision,
                                   "commit": self._commit, "router_sha": self._router_sha, "recent": self._recent,
                                   "loaded_at": self._loaded_at}, indent=2))
        os.replace(tmp, self._state_path())

    # -- public API --------------------------------------------------------------------------------------
    def check(self, revision: str | None = None, *, force: bool = False, pin: bool = False) -> SyncReport:
        """Load ``revision`` (default: the followed one) if it is not what serves. Never raises."""
        t0 = time.time()
        target = (revision or self._target or "main").strip()
        report = SyncReport(ok=False, repo=self.repo, revision=target)
        if not self.repo:
            report.problems.append("MODROUTE_HUB_REPO is not set: nothing to load from the Hub")
            return self._finish(report, t0)
        with self._lock:
            try:
                ensure_request_timeout(self._timeout)
                commit = self._resolve(target)
                report.commit = commit
                if pin:
                    self._target = target
                if commit == self._commit and not force:
                    report.ok = True
                    report.unchanged = self.engine.modifiers.names()
                    report.message = f"{self.repo}: {target} is already serving (commit {commit[:12]})"
                    if pin:
                        self._revision = target
                        self._save_state()
                    return self._finish(report, t0)
                self._load_commit(target, commit, report)
            except HubSyncError as e:
                report.problems.append(str(e))
            except Exception as e:  # never take the server down for a sync; say what happened
                log.exception("hub sync: unexpected error")
                report.problems.append(scrub(f"Checking {self.repo} failed: {type(e).__name__}: {e}", self._token))
            return self._finish(report, t0)

    def load_revision(self, revision: str) -> SyncReport:
        """Roll back (or forward) to ``revision`` and keep it: periodic checks follow it from now on."""
        revision = (revision or "").strip()
        if not revision:
            return SyncReport(ok=False, repo=self.repo, revision="", problems=["choose a revision to load"],
                              message="choose a revision to load")
        return self.check(revision, pin=True)

    def revisions(self) -> list[HubRevision]:
        """Tags and the followed branch's commits, newest first. Raises HubSyncError with a clear message."""
        from huggingface_hub import HfApi

        if not self.repo:
            raise HubSyncError("MODROUTE_HUB_REPO is not set: no revisions to list")
        ensure_request_timeout(self._timeout)
        api = HfApi(endpoint=hub_endpoint(), token=self._token)
        branch = self.settings.hub_revision or "main"
        try:
            refs = api.list_repo_refs(self.repo)
            if not any(b.name == branch for b in refs.branches):
                branch = "main"
            commits = api.list_repo_commits(self.repo, revision=branch)
        except Exception as e:
            raise HubSyncError(self._msg(e, f"Listing revisions of {self.repo}")) from e
        by_oid = {c.commit_id: c for c in commits}
        order = {c.commit_id: i for i, c in enumerate(commits)}
        out: list[HubRevision] = []
        for t in sorted(refs.tags, key=lambda t: (order.get(t.target_commit, len(order)), t.name)):
            c = by_oid.get(t.target_commit)
            out.append(HubRevision(name=t.name, kind="tag", commit=t.target_commit, title=c.title if c else "",
                                   date=c.created_at.isoformat() if c else "", current=t.target_commit == self._commit))
        out += [HubRevision(name=c.commit_id, kind="commit", commit=c.commit_id, title=c.title,
                            date=c.created_at.isoformat(), current=c.commit_id == self._commit) for c in commits]
        return out

    def state(self) -> HubState:
        last = self._last
        router = self.router
        return HubState(repo=self.repo, enabled=bool(self.repo), target=self._target, revision=self._revision,
                        commit=self._commit, loaded_at=self._loaded_at, last_check_at=last.checked_at if last else None,
                        last_report=last, problems=list(last.problems) + [f"{n}: {r}" for n, r in last.refused.items()]
                        if last else [], check_interval_s=float(self.settings.hub_check_interval),
                        modifiers=self.engine.modifiers.describe() if self.engine.modifiers else [],
                        router_version=getattr(router, "version", "") if router is not None else "")

    # -- background ----------------------------------------------------------------------------------------
    def start(self) -> HubSync:
        """Restore the last loaded revision from disk (no network), then check every
        ``hub_check_interval`` seconds in a thread when that is set (the first check right away)."""
        if not self.repo:
            return self
        self._restore()
        interval = float(self.settings.hub_check_interval)
        if interval > 0 and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, args=(interval,), name="hub-sync", daemon=True)
            self._thread.start()
        return self

    def _run(self, interval: float) -> None:
        while True:
            report = self.check()
            if report.problems or report.refused:
                log.warning("hub sync: %s", report.message)
            if self._stop.wait(interval):
                return

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self._timeout + 5)
            self._thread = None

    def _restore(self) -> None:
        try:
            st = json.loads(self._state_path().read_text())
        except (OSError, ValueError):
            return
        if st.get("repo") != self.repo or not st.get("commit") or not self._serving_manifest().is_file():
            return
        self._target = st.get("target") or self._target
        self._revision, self._commit = st.get("revision", ""), st["commit"]
        self._recent, self._router_sha = list(st.get("recent") or []), st.get("router_sha", "")
        self._loaded_at = st.get("loaded_at")
        mods = self.engine.reload_modifiers(manifest_path=self._serving_manifest())
        log.info("hub sync: restored %s at %s (%s): %s", self.repo, self._revision, self._commit[:12],
                 ", ".join(n for n, m in mods.items() if m.available) or "no modifiers")
        if self._router_sha and (self.root / self._commit / ROUTER_MANIFEST).is_file():
            problems: list[str] = []
            self._swap_router(self.root / self._commit / ROUTER_MANIFEST, problems)
            for p in problems:
                log.error("hub sync: %s", p)

    # -- loading one commit ----------------------------------------------------------------------------------
    def _load_commit(self, target: str, commit: str, report: SyncReport) -> None:
        rev_dir = self.root / commit
        local = self._download(MANIFEST, commit, rev_dir)
        try:
            manifest = read_manifest(local)
        except ArtifactError as e:
            raise HubSyncError(f"{target} ({commit[:12]}) refused: {e}; what serves is unchanged") from e
        registry = self.engine.modifiers
        serving = self._serving_entries()
        entries: list[ArtifactEntry] = []
        verified: set[str] = set()
        for entry in manifest.of_kind("modifier"):
            try:
                for f in artifact_files(entry):
                    self._download(f, commit, rev_dir)
                registry.verify(entry, rev_dir)
                entries.append(_absolute(entry, rev_dir))
                verified.add(entry.name)
            except (HubSyncError, ArtifactError, OSError) as e:
                old = serving.get(entry.name)
                reason = str(e).removeprefix(f"{entry.name}: ")
                current = registry.get(entry.name)
                if old is not None and current is not None and current.available and current.sha256 == old.sha256:
                    entries.append(old)
                    reason += f"; version {old.version or old.sha256[:12]} keeps serving"
                else:
                    entries.append(_absolute(entry, rev_dir))  # listed, so the status page shows why it is off
                report.refused[entry.name] = reason
                log.error("hub sync: modifier %s at %s refused: %s", entry.name, commit[:12], reason)
        for base in manifest.of_kind("base"):
            if base.sha256 != getattr(self.engine, "base_sha256", base.sha256):
                report.problems.append(
                    f"this revision publishes a new base model ({base.file}, sha256 {base.sha256[:12]}…) but the "
                    f"server runs {self.engine.base_sha256[:12]}…: point MODROUTE_MODEL at it and restart; "
                    "modifiers trained for it are refused until then")

        before = {m["name"]: m["sha256"] for m in registry.describe() if m["status"] == "ready"}
        write_manifest(self._serving_manifest(), entries)
        mods = self.engine.reload_modifiers(manifest_path=self._serving_manifest())  # waits for running streams
        for name, mod in sorted(mods.items()):
            if name in verified and not mod.available:
                report.refused[name] = mod.reason or "refused when loading"
            elif mod.available and name in before and before[name] == mod.sha256:
                report.unchanged.append(name)
            elif mod.available:
                report.loaded.append(name)
        report.removed = sorted(n for n in before if n not in mods)
        report.changed = bool(report.loaded or report.removed)

        self._load_router(commit, rev_dir, report)
        self._revision, self._commit, self._loaded_at = target, commit, time.time()
        self._recent = [commit] + [c for c in self._recent if c != commit][:KEEP_REVISIONS - 1]
        self._save_state()
        self._prune(entries)
        report.ok = not report.refused and not report.problems

    def _load_router(self, commit: str, rev_dir: Path, report: SyncReport) -> None:
        from huggingface_hub import errors as hf_errors

        if self.router is None:
            return
        try:
            local = self._download(ROUTER_MANIFEST, commit, rev_dir)
        except HubSyncError as e:
            if isinstance(e.__cause__, hf_errors.EntryNotFoundError):
                return  # this revision has no router artifacts: the current router keeps serving
            report.problems.append(str(e))
            return
        from runtime.artifacts import sha256_file

        sha = sha256_file(local)
        if sha == self._router_sha:
            return
        try:
            manifest = read_manifest(local)
            for entry in manifest.artifacts:
                if entry.kind in ("router", "detector"):
                    for f in artifact_files(entry):
                        self._download(str(PurePosixPath("router") / f), commit, rev_dir)
        except (HubSyncError, ArtifactError) as e:
            report.problems.append(f"router artifacts refused: {e}; the current router keeps serving")
            return
        report.router = self._swap_router(local, report.problems)
        if report.router:
            self._router_sha = sha
            report.changed = True

    def _swap_router(self, manifest_path: Path, problems: list[str]) -> list[str]:
        from runtime.router import load_router_artifacts

        arts = load_router_artifacts(manifest_path, Path(self.settings.cache_dir), self.router.embedder)
        problems += [f"router artifact refused: {p}; the current one keeps serving" for p in arts.problems]
        loaded = []
        if arts.domain is not None:
            self.router.domain = arts.domain
            loaded.append("domain")
        if arts.quality is not None:
            self.router.quality = arts.quality
            self.router.version = self.router.base_version = arts.version or self.router.version
            loaded.append("quality")
        if arts.detector is not None and self.chat is not None:
            self.chat.detector = arts.detector
            loaded.append("detector")
        if loaded and self.router_versions is not None:
            self.router_versions.refresh()
        return loaded

    def _serving_entries(self) -> dict[str, ArtifactEntry]:
        """The entries of what serves now (the local manifest before the first load), with absolute paths,
        so a refused new version can keep its previous one."""
        path = self.engine.modifiers.manifest_path
        if path is None:
            return {}
        try:
            manifest = read_manifest(path)
        except ArtifactError:
            return {}
        return {e.name: _absolute(e, manifest.root) for e in manifest.of_kind("modifier")}

    def _prune(self, serving: list[ArtifactEntry]) -> None:
        keep = set(self._recent)
        for e in serving:
            p = Path(e.file)
            if p.is_absolute() and self.root in p.parents:
                keep.add(p.relative_to(self.root).parts[0])
        for d in self.root.iterdir():
            if d.is_dir() and d.name not in keep and len(d.name) >= 12:
                shutil.rmtree(d, ignore_errors=True)

    def _finish(self, report: SyncReport, t0: float) -> SyncReport:
        report.seconds = round(time.time() - t0, 3)
        if not report.message:
            if report.problems and not report.commit:
                report.message = report.problems[0]
            else:
                parts = [f"{self.repo} {report.revision} ({report.commit[:12]})"]
                if report.loaded:
                    parts.append("loaded " + ", ".join(report.loaded))
                if report.removed:
                    parts.append("removed " + ", ".join(report.removed))
                if report.router:
                    parts.append("router " + ", ".join(report.router))
                if report.refused:
                    parts.append("refused " + "; ".join(f"{n}: {r}" for n, r in report.refused.items()))
                if report.problems:
                    parts.append("; ".join(report.problems))
                if len(parts) == 1:
                    parts.append("nothing changed")
                report.message = ": ".join(parts[:1]) + ": " + "; ".join(parts[1:])
        report.message = scrub(report.message, self._token)
        self._last = report
        return report


def _absolute(entry: ArtifactEntry, root: Path) -> ArtifactEntry:
    """The entry with its files as absolute paths, so one serving manifest can mix revisions."""
    return replace(entry, file=str((root / entry.file).resolve()),
                   dictionary=str((root / entry.dictionary).resolve()) if entry.dictionary else "",
                   extra=dict(entry.extra))
