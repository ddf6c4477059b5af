"""Which router version answers a session: the active one, or — for a sticky share of sessions — the canary.

The retraining job (``telemetry/``) writes router versions as artifacts (``runtime.adaptive``: an
adaptive layer of safetensors + JSON) and tracks their lifecycle in the ``router_versions`` table
(candidate -> canary -> active | rolled_back | retired). This module only *reads* that state, through
a ``lister`` callable the server wires to the telemetry store, so ``runtime/`` keeps no database code:

    versions = RouterVersionSet(lister=store.router_versions, refresh_s=30).start()
    layer, arm, version = versions.assign(session_id)

Assignment is a pure function of (canary version, session id): a session keeps its arm for the
whole canary, across restarts and replicas, without storing anything. A version whose artifact is
missing, corrupt or does not match its recorded SHA-256 is refused (logged, listed in ``problems``)
and the rest keeps serving: a refused canary means everyone gets the active version; a refused
active version means the shipped thresholds (settings) apply.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("modroute.versions")

CONTROL, CANARY = "control", "canary"


def canary_bucket(version: str, session_id: str) -> float:
    """A stable number in [0, 1) for (canary version, session): below the share = canary arm."""
    h = hashlib.sha256(f"{version}\x00{session_id}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


@dataclass
class VersionState:
    active: Any = None  # runtime.adaptive.AdaptiveLayer, or None = the shipped thresholds
    active_version: str = ""
    canary: Any = None
    canary_version: str = ""
    canary_share: float = 0.0
    loaded_at: float = 0.0
    problems: list[str] = field(default_factory=list)


class RouterVersionSet:
    def __init__(self, lister: Callable[[], list[dict[str, Any]]] | None = None, *, refresh_s: float = 30.0,
                 loader: Callable[[Path, str | None], Any] | None = None, personalize: bool = False,
                 user_salt: str = ""):
        self.lister = lister
        self.personalize = personalize  # per-user threshold offsets allowed on this server (opt-in per user)
        self._user_salt = user_salt
        self.refresh_s = refresh_s
        self._loader = loader
        self._cache: dict[tuple[str, str], Any] = {}  # (version, sha256) -> loaded layer
        self._state = VersionState()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- loading -------------------------------------------------------------------------------
    def _load(self, row: dict[str, Any]) -> Any:
        key = (str(row["version"]), str(row.get("artifact_sha256") or ""))
        if key in self._cache:
            return self._cache[key]
        path = row.get("artifact_path")
        if not path:
            raise ValueError("no artifact_path recorded")
        loader = self._loader
        if loader is None:
            from runtime.adaptive import AdaptiveLayer

            loader = AdaptiveLayer.load
        layer = loader(Path(path), row.get("artifact_sha256") or None)
        self._cache[key] = layer
        return layer

    def refresh(self) -> VersionState:
        """Re-read the versions table and load what serves now. Never raises (keeps the last good state
        when the database is unreachable)."""
        if self.lister is None:
            return self._state
        try:
            rows = self.lister()
        except Exception as e:
            log.warning("router versions: cannot read the versions table (%s); keeping what serves",
                        str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
            return self._state
        st = VersionState(loaded_at=time.time())
        actives = sorted((r for r in rows if r.get("status") == "active"),
                         key=lambda r: str(r.get("activated_at") or ""), reverse=True)
        canaries = sorted((r for r in rows if r.get("status") == "canary"),
                          key=lambda r: str(r.get("canary_started_at") or r.get("created_at") or ""), reverse=True)
        for kind, pick in (("active", actives[:1]), ("canary", canaries[:1])):
            for row in pick:
                if not row.get("artifact_path"):
                    # A version without an artifact is the shipped router itself (e.g. a baseline row).
                    if kind == "active":
                        st.active_version = str(row["version"])
                    continue
                try:
                    layer = self._load(row)
                except Exception as e:
                    msg = f"router version {row['version']} ({kind}) refused: {e}"
                    if msg not in self._state.problems:
                        log.error(msg)
                    st.problems.append(msg)
                    continue
                if kind == "active":
                    st.active, st.active_version = layer, str(row["version"])
                else:
                    share = row.get("canary_share")
                    st.canary, st.canary_version = layer, str(row["version"])
                    st.canary_share = float(share if share is not None else 0.1)
        with self._lock:
            changed = (st.active_version, st.canary_version, st.canary_share) != (
                self._state.active_version, self._state.canary_version, self._state.canary_share)
            self._state = st
        if changed:
            log.info("router versions: active=%s canary=%s (share %.0f%%)", st.active_version or "shipped",
                     st.canary_version or "none", st.canary_share * 100)
        return st

    @property
    def state(self) -> VersionState:
        with self._lock:
            return self._state

    # -- per request ---------------------------------------------------------------------------
    def user_key(self, user: str) -> str | None:
        """The key of ``user``'s personal threshold offset, or None when personalisation is off here."""
        if not (self.personalize and user):
            return None
        from runtime.adaptive import personal_key

        return personal_key(user, self._user_salt)

    def assign(self, session_id: str) -> tuple[Any, str, str]:
        """(layer or None, arm, version) for this session. arm is "" when no canary is running."""
        st = self.state
        if st.canary is None:
            return st.active, "", st.active_version
        if canary_bucket(st.canary_version, session_id or "") < st.canary_share:
            return st.canary, CANARY, st.canary_version
        return st.active, CONTROL, st.active_version

    # -- background refresh --------------------------------------------------------------------
    def start(self) -> RouterVersionSet:
        self.refresh()
        if self.lister is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="router-versions", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.refresh_s):
            self.refresh()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
