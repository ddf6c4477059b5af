"""Publish a finished pipeline run's artifacts to a Hub model repo, with a model card made from its manifest.

``publish_run`` takes a run's work directory (its ``publish`` phase says where the artifacts went) or an
artifacts directory, checks every file against the manifests (a corrupt artifact is never published),
writes README.md with :func:`build_model_card` from the same ``manifest.json`` the runtime loads, and makes
one commit (``create_commit``) of all artifacts + manifests + README, tagged with the artifact version
(``create_tag``). Hub failures become a ``PublishError`` with one clear sentence; the token is never in a
message or a log line.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from runtime.artifacts import ArtifactEntry, ArtifactError, Manifest, read_manifest, sha256_file
from runtime.hub_client import artifact_files, ensure_request_timeout, hub_endpoint, hub_error_message, scrub

log = logging.getLogger("modroute.admin.publish")

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
# Base GGUF files we know the Hub model of (for the card's base_model, which links the repo to its base).
KNOWN_BASES = {"SmolLM2-135M-Instruct": ("HuggingFaceTB/SmolLM2-135M-Instruct", "apache-2.0")}
REPO_ROOT = Path(__file__).resolve().parent.parent


class PublishError(Exception):
    """Publishing did not happen (or not completely); the message says why, for the admin tab."""


class PublishResult(BaseModel):
    repo_id: str
    commit_sha: str
    tag: str
    url: str = Field(description="The commit's page on the Hub.")
    repo_url: str
    private: bool
    files: list[str] = Field(description="Paths in the repo written by this publish (README.md included).")


# -- what to publish ---------------------------------------------------------------------------------------
def resolve_artifacts(path: str | Path) -> tuple[Path, Path | None]:
    """(artifacts directory, run directory or None) for a run's work directory or an artifacts directory."""
    p = Path(path)
    if (p / "publish" / "DONE.json").is_file():
        published = _json(p / "publish" / "published-manifest.json")
        dest = (_json(p / "publish" / "metrics.json") or {}).get("dest") or "artifacts"
        candidates = [Path(dest)] if Path(dest).is_absolute() else [p / dest, Path.cwd() / dest, REPO_ROOT / dest]
        for c in candidates:
            if (c / "manifest.json").is_file() and _same_pipeline_entries(_json(c / "manifest.json"), published):
                return c.resolve(), p.resolve()
        raise PublishError(f"the run in {p} published to {dest!r}, but no manifest there still holds what it "
                           "published (run the publish phase again)")
    m = _json(p / "manifest.json")
    if isinstance(m, dict) and isinstance(m.get("artifacts"), list) and "phase" not in m:
        return p.resolve(), None
    raise PublishError(f"{p} is neither an artifacts directory (with manifest.json) nor a pipeline run whose "
                       "publish phase finished")


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _same_pipeline_entries(there: Any, published: Any) -> bool:
    if not isinstance(there, dict) or not isinstance(published, dict):
        return False
    have = {(a.get("kind"), a.get("name")): a.get("sha256") for a in there.get("artifacts", [])}
    return all(have.get((a.get("kind"), a.get("name"))) == a.get("sha256") for a in published.get("artifacts", []))


def _manifests(artifacts_dir: Path) -> list[tuple[str, Manifest]]:
    """The top manifest and the ones one level down (router/, tools/), as (path in repo, manifest)."""
    out = []
    for rel in ["manifest.json", *sorted(str(p.relative_to(artifacts_dir)) for p in
                                         artifacts_dir.glob("*/manifest.json"))]:
        try:
            out.append((rel, read_manifest(artifacts_dir / rel)))
        except ArtifactError as e:
            raise PublishError(f"cannot publish: {e}") from e
    return out


def collect_files(artifacts_dir: Path) -> list[tuple[str, Path]]:
    """(path in repo, local file) for every manifest and every file its entries need, each checked against
    the manifest's SHA-256 (and size): a corrupt or missing artifact stops the publish."""
    files: dict[str, Path] = {}
    bad: list[str] = []
    for rel, manifest in _manifests(artifacts_dir):
        prefix = str(Path(rel).parent) if Path(rel).parent != Path(".") else ""
        files[rel] = artifacts_dir / rel
        for entry in manifest.artifacts:
            try:
                needed = artifact_files(entry)
            except ArtifactError as e:
                bad.append(str(e))
                continue
            for f in needed:
                local = manifest.root / f
                if not local.is_file():
                    bad.append(f"{entry.name}: {f} is missing")
                    continue
                expected = _expected_sha(entry, f)
                if expected and sha256_file(local) != expected:
                    bad.append(f"{entry.name}: {f} does not match its SHA-256 in the manifest")
                elif f == entry.file and entry.size is not None and local.stat().st_size != entry.size:
                    bad.append(f"{entry.name}: {f} is {local.stat().st_size} bytes, the manifest says {entry.size}")
                files[f"{prefix}/{f}" if prefix else f] = local
    if bad:
        raise PublishError("cannot publish, artifacts do not match their manifest: " + "; ".join(bad))
    return sorted(files.items())


def _expected_sha(entry: ArtifactEntry, f: str) -> str:
    if f == entry.file:
        return entry.sha256
    if f == entry.dictionary:
        return entry.dictionary_sha256
    if f.endswith(".json") and entry.extra.get("meta_sha256") and Path(f).stem == Path(entry.file).stem:
        return entry.extra["meta_sha256"]
    for k, v in entry.extra.items():
        if k.endswith("_file") and v == f:
            return entry.extra.get(k.removesuffix("_file") + "_sha256", "")
    return ""


def artifact_version(manifest: Manifest) -> str:
    """The version a publish is tagged with: the modifiers' (newest created first), else any entry's."""
    entries = manifest.of_kind("modifier") or manifest.artifacts
    versions = [e for e in sorted(entries, key=lambda e: e.created or "", reverse=True) if e.version]
    return versions[0].version if versions else ""


# -- the model card ------------------------------------------------------------------------------------------
def _base_info(manifest: Manifest, run_dir: Path | None) -> tuple[str, str, str | None, str]:
    """(file name, sha256, Hub model id or None, license) of the base the modifiers were trained against."""
    shas = [e.base_sha256 for e in manifest.of_kind("modifier") if e.base_sha256]
    sha = max(set(shas), key=shas.count) if shas else ""
    name = ""
    base_entry = next(iter(manifest.of_kind("base")), None)
    info = _json(run_dir / "base" / "base.json") if run_dir else None
    if base_entry is not None:
        name, sha = Path(base_entry.file).name, sha or base_entry.sha256
    if isinstance(info, dict) and info.get("gguf"):
        origin = Path(info["gguf"]).name
        name = name or origin
        sha = sha or info.get("gguf_sha256", "")
    else:
        origin = name
    if not origin:
        try:
            from runtime.artifacts import sha256_cached
            from runtime.settings import embedded_model_path

            embedded = embedded_model_path()
            if sha and sha256_cached(embedded) == sha:
                origin = name = embedded.name
        except (FileNotFoundError, OSError):
            pass
    for stem, (hub_id, lic) in KNOWN_BASES.items():
        if origin.startswith(stem):
            return name or origin, sha, hub_id, lic
    return name or "unknown", sha, None, "other"


def _fmt(x: Any, nd: int = 3) -> str:
    if x is None or x == "":
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[Any]]) -> str:
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
                     + ["| " + " | ".join(_fmt(c) for c in r) + " |" for r in rows])


def _preset(run_dir: Path) -> str:
    run = _json(run_dir / "run.json") or {}
    if isinstance(run, dict) and run.get("preset"):
        return str(run["preset"])
    presets = REPO_ROOT / "pipeline" / "presets"
    return run_dir.name if (presets / f"{run_dir.name}.yaml").is_file() else ""


def build_model_card(manifest_path: str | Path, run_dir: str | Path | None = None, *, repo_id: str = "",
                     license: str | None = None) -> str:
    """README.md for a Hub repo of ModRoute artifacts, from the manifest the runtime loads (and, given the
    run's work directory, the evaluate phase's metrics and gates and each phase's timings)."""
    mpath = Path(manifest_path)
    try:
        manifest = read_manifest(mpath)
    except ArtifactError as e:
        raise PublishError(f"cannot write the model card: {e}") from e
    if not mpath.is_file():
        raise PublishError(f"cannot write the model card: {mpath} does not exist")
    run = Path(run_dir) if run_dir else None
    mods = sorted(manifest.of_kind("modifier"), key=lambda e: e.name)
    domains = sorted({e.domain or e.name for e in mods})
    base_name, base_sha, base_hub, base_license = _base_info(manifest, run)
    lic = license or base_license
    ev = ((_json(run / "evaluate" / "metrics.json") or {}).get("domains") or {}) if run else {}
    gates = (_json(run / "evaluate" / "gates.json") or {}) if run else {}
    subs = {rel: m for rel, m in _manifests(mpath.parent) if rel != "manifest.json"} if mpath.name == \
        "manifest.json" else {}

    front: dict[str, Any] = {"license": lic}
    if base_hub:
        front["base_model"] = base_hub
    front["library_name"] = "gguf"
    front["pipeline_tag"] = "text-generation"
    front["tags"] = ["modroute", "lora", "gguf", "llama-cpp", *[re.sub(r"[^a-z0-9-]+", "-", d.lower())
                                                                 for d in domains]]
    out = ["---", yaml.safe_dump(front, sort_keys=False).strip(), "---", ""]
    title = repo_id or "ModRoute artifacts"
    out += [f"# {title}", "",
            "LoRA **modifiers** (GGUF adapters for llama.cpp) that ModRoute hot-swaps onto one small base model, "
            "one domain per answer, when its calibrated router expects the base alone to fall short.",
            "This card is generated from `manifest.json` in this repo, the same manifest the ModRoute runtime "
            "loads: every file below is listed there with its SHA-256, and the runtime refuses any file that "
            "does not match.", ""]

    out += ["## Base model", "",
            _table(["", ""], [["file", base_name], ["Hub model", base_hub or "—"], ["SHA-256", f"`{base_sha}`"]]),
            "", "Each modifier records the SHA-256 of the base it was trained against; the runtime refuses a "
            "modifier whose base fingerprint differs from the base it serves.", ""]
    if manifest.of_kind("base"):
        b = manifest.of_kind("base")[0]
        out += [f"This repo also carries a fine-tuned base, `{b.file}` ({_fmt(b.size)} bytes): point "
                "`MODROUTE_MODEL` at it, since the modifiers were trained against it.", ""]

    out += ["## Domains", ""]
    out += [f"- **{d}**: " + ", ".join(f"`{e.name}` ({(ev.get(e.name) or e.metrics).get('benchmark') or 'no benchmark'})"
                                       for e in mods if (e.domain or e.name) == d) for d in domains] or ["(none)"]
    out += [""]

    out += ["## Modifiers and their metrics", "",
            "Held-out comparison of the base alone and base + modifier (the evaluate phase; greedy decoding). "
            "`gate`: the quality gate the publish phase applied.", ""]
    rows = []
    for e in mods:
        m = {**(e.metrics or {}), **(ev.get(e.name) or {})}
        gate = gates.get(e.name) or {}
        gain = m.get("gain")
        rows.append([e.name, e.domain or e.name, e.version, m.get("benchmark"), m.get("n"), m.get("base"),
                     m.get("modifier"), f"{gain:+.3f}" if isinstance(gain, (int, float)) else gain,
                     ("pass" if gate.get("passed", True) else "FAIL") if gate else "—",
                     f"{_fmt(m.get('val_loss_base'))} → {_fmt(m.get('val_loss'))}",
                     f"{_fmt(m.get('general_val_loss_base'))} → {_fmt(m.get('general_val_loss'))}",
                     e.size, f"`{e.sha256[:16]}…`"])
    out += [_table(["modifier", "domain", "version", "benchmark", "n", "base", "base + modifier", "gain", "gate",
                    "val loss (base → modifier)", "general val loss", "stored bytes", "SHA-256"], rows)
            if rows else "No modifiers in this manifest.", ""]

    router = [(rel, e) for rel, m in subs.items() for e in m.artifacts]
    if router:
        out += ["## Router and tools", "", _table(
            ["artifact", "kind", "role", "version", "trained on", "file", "SHA-256"],
            [[e.name, e.kind, e.extra.get("role", ""), e.version, e.extra.get("dataset", ""),
              f"{Path(rel).parent}/{e.file}", f"`{e.sha256[:16]}…`"] for rel, e in router]), ""]

    out += ["## How it was trained", ""]
    out += _training_section(mods, run)

    out += ["## Files", "", _table(["file", "kind", "bytes", "SHA-256"],
                                   [[e.file, e.kind, e.size, f"`{e.sha256}`"] for e in manifest.artifacts]), ""]
    out += ["## Use it", "",
            "Serve these modifiers from a ModRoute server or Space without a restart:", "", "```bash",
            f"MODROUTE_HUB_REPO={repo_id or '<owner>/<repo>'} MODROUTE_HUB_REVISION=<tag> python app.py", "```", "",
            "then *Check the Hub* in the admin tab (or set `MODROUTE_HUB_CHECK_INTERVAL`). Streams already running "
            "finish with the adapters they started with; a file that fails its checksum is refused and the "
            "previous version keeps serving.", ""]
    out += ["## License", "",
            f"`{lic}`" + (f", the license of the base model [{base_hub}](https://huggingface.co/{base_hub}), which "
                          "these adapters modify." if base_hub else "."), ""]
    return "\n".join(out)


def _training_section(mods: list[ArtifactEntry], run: Path | None) -> list[str]:
    out: list[str] = []
    if run is not None:
        from pipeline.phases import ORDER

        preset = _preset(run)
        out += [f"The ModRoute pipeline (`python -m pipeline all{f' --preset {preset}' if preset else ''}`), "
                f"work directory `{run.name}`" + (f", preset `{preset}` (pipeline/presets/{preset}.yaml)"
                                                  if preset else "") + ". Phases as they ran:", ""]
        rows = []
        total = 0.0
        for p in ORDER:
            m = _json(run / p / "metrics.json")
            done = _json(run / p / "DONE.json") or {}
            if not isinstance(m, dict):
                continue
            total += float(m.get("seconds") or 0)
            rows.append([p, _fmt(m.get("seconds"), 0), _fmt(m.get("cpu_seconds"), 0), done.get("finished", "")])
        rows.append(["**total**", f"{total:.0f} ({total / 60:.1f} min)", "", ""])
        out += [_table(["phase", "wall s", "CPU s", "finished"], rows), ""]
    rows = []
    for e in mods:
        t = e.extra.get("training") or {}
        ex = t.get("train_examples") or {}
        rows.append([e.name, t.get("rank"), t.get("alpha"), ", ".join(t.get("targets") or []) or None,
                     f"{t.get('best_step')}/{t.get('steps')}" if t.get("steps") else None,
                     ex.get("total") if isinstance(ex, dict) else ex, e.extra.get("trainable_params"),
                     (e.extra.get("compression") or {}).get("ratio")])
    if any(any(c is not None for c in r[1:]) for r in rows):
        out += ["LoRA training per modifier:", "", _table(["modifier", "rank", "alpha", "target modules",
                                                           "best step", "training examples", "trainable params",
                                                           "zstd ratio"], rows), ""]
    elif run is None:
        out += ["No training record in the manifest.", ""]
    return out


# -- pushing ---------------------------------------------------------------------------------------------------
def publish_run(run_dir_or_artifacts_dir: str | Path, repo_id: str, *, token: str | None,
                revision_tag: str | None = None, private: bool = True, endpoint: str | None = None,
                license: str | None = None, timeout: float = 60.0) -> PublishResult:
    """One commit of every artifact + manifests + README.md to ``repo_id`` (created if needed, private by
    default), tagged ``revision_tag`` (default: the artifact version). Raises PublishError."""
    from huggingface_hub import CommitOperationAdd, HfApi

    repo_id = (repo_id or "").strip()
    if not REPO_ID.match(repo_id):
        raise PublishError(f"repo id {repo_id!r} must look like 'owner/name'")
    token = token or None
    artifacts_dir, run_dir = resolve_artifacts(run_dir_or_artifacts_dir)
    files = collect_files(artifacts_dir)
    manifest = read_manifest(artifacts_dir / "manifest.json")
    tag = (revision_tag or artifact_version(manifest)).strip()
    if not TAG.match(tag):
        raise PublishError(f"tag {tag!r} is not a valid revision tag (letters, digits, '.', '_', '-')"
                           if tag else "no revision tag given and the manifest records no artifact version")
    card = build_model_card(artifacts_dir / "manifest.json", run_dir, repo_id=repo_id, license=license)
    endpoint = hub_endpoint(endpoint)
    ensure_request_timeout(timeout)
    api = HfApi(endpoint=endpoint, token=token)
    action = f"Publishing to {repo_id}"

    def fail(e: Exception, step: str) -> PublishError:
        msg = hub_error_message(e, action=f"{action} ({step})", repo_id=repo_id, revision=tag, timeout=timeout,
                                token=token, endpoint=endpoint)
        log.error("%s", msg)
        return PublishError(msg)

    try:
        repo_url = str(api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model"))
    except Exception as e:
        raise fail(e, "create repo") from e
    names = sorted(e.name for e in manifest.of_kind("modifier"))
    ops = [CommitOperationAdd(path_in_repo=rel, path_or_fileobj=str(local)) for rel, local in files]
    ops.append(CommitOperationAdd(path_in_repo="README.md", path_or_fileobj=card.encode("utf-8")))
    description = "\n".join(f"- `{rel}` sha256 {sha256_file(local)}" for rel, local in files)
    try:
        info = api.create_commit(repo_id, ops, commit_message=f"ModRoute artifacts {tag}: {', '.join(names) or 'no modifiers'}",
                                 commit_description=description, repo_type="model")
    except Exception as e:
        raise fail(e, "commit") from e
    commit = info.oid
    try:
        api.create_tag(repo_id, tag=tag, revision=commit, tag_message=f"ModRoute artifacts {tag}", repo_type="model")
    except Exception as e:
        if getattr(getattr(e, "response", None), "status_code", None) != 409:
            raise fail(e, "tag") from e
        try:
            existing = {t.name: t.target_commit for t in api.list_repo_refs(repo_id).tags}.get(tag)
        except Exception as e2:
            raise fail(e2, "tag") from e2
        if existing != commit:
            raise PublishError(scrub(f"{action}: committed {commit[:12]}, but tag {tag!r} already names another "
                                     f"commit ({(existing or '?')[:12]}): publish under a new version tag", token)
                               ) from e
    log.info("published %s to %s at %s (commit %s, %d files)", artifacts_dir, repo_id, tag, commit[:12], len(ops))
    return PublishResult(repo_id=repo_id, commit_sha=commit, tag=tag, url=info.commit_url, repo_url=repo_url,
                         private=private, files=[rel for rel, _ in files] + ["README.md"])
