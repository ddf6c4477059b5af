"""The Hub as seen by ModRoute's publish and hot-load code: one clear sentence per failed call, a timeout on
huggingface_hub's shared client, the endpoint, and which files a manifest entry needs.

Messages never contain the token (``scrub`` is applied to every one of them as a last guard).
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from runtime.artifacts import ArtifactEntry, ArtifactError


def hub_error_message(exc: BaseException, *, action: str, repo_id: str, revision: str | None = None,
                      filename: str | None = None, timeout: float | None = None, token: str | None = None,
                      endpoint: str | None = None) -> str:
    """One clear sentence for a failed Hub call (401/403/404/409/429/5xx/timeout/unreachable/offline)."""
    import httpx
    from huggingface_hub import errors as hf_errors

    exc = _underlying(exc)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    where = repo_id + (f" at {revision}" if revision else "")
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, hf_errors.OfflineModeIsEnabled):
        why = "HF_HUB_OFFLINE is set in this process, so the Hub is not contacted (unset it)"
    elif isinstance(exc, httpx.TimeoutException):
        why = (f"the Hub did not answer within {timeout:g} s (timeout); try again later, or raise "
               "MODROUTE_HUB_TIMEOUT" if timeout else "the Hub did not answer in time (timeout); try again later")
    elif isinstance(exc, httpx.TransportError):
        why = f"cannot reach the Hub at {endpoint or 'its endpoint'} ({type(exc).__name__}: {detail})"
    elif status == 401:
        why = (f"the Hub refused the credentials (401 Unauthorized): set HF_TOKEN / MODROUTE_HF_TOKEN to a valid "
               f"token that can access {repo_id}")
    elif status == 403:
        why = (f"the token is not allowed to do this on {repo_id} (403 Forbidden): it needs write access to that "
               "namespace (a fine-grained token needs this repo's permission)")
    elif status == 404 and isinstance(exc, hf_errors.RevisionNotFoundError):
        why = f"revision {revision!r} does not exist in {repo_id} (404)"
    elif status == 404 and isinstance(exc, hf_errors.EntryNotFoundError):
        why = f"{filename or 'the file'} is not in {where} (404): is this a ModRoute artifacts repo?"
    elif status == 404:
        why = f"{repo_id} was not found (404), or the token cannot see it (a private repo needs a token)"
    elif status == 409:
        why = f"the Hub reported a conflict on {where} (409): {detail}"
    elif status == 412:
        why = f"{where} moved while this ran (412: another commit landed first); try again"
    elif status == 429:
        why = "the Hub is rate-limiting these requests (429 Too Many Requests); wait a few minutes and retry"
    elif status is not None and status >= 500:
        why = f"the Hub had a server error ({status}); try again later"
    elif status is not None:
        why = f"the Hub answered {status}: {detail}"
    else:
        why = f"{type(exc).__name__}: {detail}"
    return scrub(f"{action} failed: {why}", token)


def _underlying(exc: BaseException) -> BaseException:
    """The HTTP or transport error under a wrapper (hf_hub_download raises LocalEntryNotFoundError "from" a
    timeout or a 5xx when nothing is cached)."""
    import httpx
    from huggingface_hub import errors as hf_errors

    cur: BaseException | None = exc
    for _ in range(6):
        if cur is None:
            break
        if getattr(getattr(cur, "response", None), "status_code", None) is not None or isinstance(
                cur, (httpx.TransportError, hf_errors.OfflineModeIsEnabled)):
            return cur
        cur = cur.__cause__ or cur.__context__
    return exc


def scrub(text: str, token: str | None) -> str:
    """Remove the token from a text meant for logs or pages (belt and braces: messages never add it)."""
    if token and len(token) >= 4:
        text = text.replace(token, "***")
    return text


_REQUEST_TIMEOUT: dict[str, float | None] = {"s": None}


def ensure_request_timeout(seconds: float) -> None:
    """Give huggingface_hub's shared HTTP client a timeout. By default it has none, so a Hub that never
    answers would hang an admin click (create_repo, refs, commits) forever; downloads pass their own.
    The factory is installed once; later calls retime the live client without closing it (a download in
    another thread keeps going)."""
    import httpx
    from huggingface_hub import get_session, set_client_factory
    from huggingface_hub.utils._http import default_client_factory

    if _REQUEST_TIMEOUT["s"] is None:
        def factory() -> httpx.Client:
            client = default_client_factory()
            client.timeout = httpx.Timeout(_REQUEST_TIMEOUT["s"])
            return client

        _REQUEST_TIMEOUT["s"] = seconds
        set_client_factory(factory)
    _REQUEST_TIMEOUT["s"] = seconds
    get_session().timeout = httpx.Timeout(seconds)


def hub_endpoint(endpoint: str | None = None) -> str:
    """The endpoint to use: the argument, else HF_ENDPOINT as it is now (the library reads it at import)."""
    from huggingface_hub import constants

    return (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def artifact_files(entry: ArtifactEntry) -> list[str]:
    """Every file an entry needs, relative to its manifest: the file, its zstd dictionary and its sidecars
    (a router head's metadata JSON, the example bank's examples). Paths that could leave the repo raise."""
    files = [entry.file]
    if entry.dictionary:
        files.append(entry.dictionary)
    if entry.extra.get("meta_sha256"):
        files.append(str(PurePosixPath(entry.file).with_suffix(".json")))
    files += [v for k, v in entry.extra.items() if k.endswith("_file") and isinstance(v, str) and v]
    for f in files:
        p = PurePosixPath(f)
        if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in f:
            raise ArtifactError(f"{entry.name}: file path {f!r} is not inside the repo")
    return files
