"""Publishing a run to the Hub (admin/publish.py) through the real huggingface_hub client against a local
fake Hub (tests/hubfake.FakeModelHub) that records what the client sends."""

from __future__ import annotations

import base64
import json
import logging
import shutil
from pathlib import Path

import pytest
import yaml

from admin.publish import PublishError, build_model_card, publish_run
from runtime.artifacts import ArtifactEntry, compress_file, sha256_cached, sha256_file, write_manifest
from tests.hubfake import FakeModelHub

TOKEN = "hf_publish_secret_3b9d1f"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def hub(monkeypatch):
    import huggingface_hub.constants as C

    monkeypatch.setattr(C, "HF_HUB_OFFLINE", False)  # conftest keeps the rest of the suite offline
    with FakeModelHub(token=TOKEN) as h:
        monkeypatch.setenv("HF_ENDPOINT", h.url)
        yield h


def _json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def make_run(tmp: Path, adapter_dir: Path, base_path: Path, version: str = "2026-12-02-abc123") -> Path:
    """A finished pipeline run (the files its phases write) whose publish phase wrote ``tmp/artifacts``:
    modifiers alpha (code, zstd) and beta (math), and the repo's shipped router artifacts."""
    run, dest = tmp / "tiny", tmp / "artifacts"
    (dest / "modifiers").mkdir(parents=True)
    base_sha = sha256_cached(base_path)
    compress_file(adapter_dir / "alpha.gguf", dest / "modifiers" / "alpha.gguf.zst", level=3)
    shutil.copyfile(adapter_dir / "beta.gguf", dest / "modifiers" / "beta.gguf")
    shutil.copytree(ROOT / "artifacts" / "router", dest / "router")
    training = {"rank": 8, "alpha": 16.0, "targets": ["q_proj", "v_proj"], "steps": 40, "best_step": 30,
                "train_examples": {"total": 321}}
    entries = [
        ArtifactEntry(name="alpha", kind="modifier", domain="code", file="modifiers/alpha.gguf.zst",
                      sha256=sha256_file(dest / "modifiers" / "alpha.gguf.zst"),
                      size=(dest / "modifiers" / "alpha.gguf.zst").stat().st_size, base_sha256=base_sha,
                      version=version, created="2026-12-02T10:00:00Z", content_sha256=sha256_file(adapter_dir / "alpha.gguf"),
                      metrics={"benchmark": "HumanEval pass@1 (problems 0-19)", "n": 20, "base": 0.05,
                               "modifier": 0.15, "gain": 0.1, "val_loss_base": 1.2, "val_loss": 0.9},
                      extra={"training": training, "trainable_params": 1234567, "producer": "pipeline"}),
        ArtifactEntry(name="beta", kind="modifier", domain="math", file="modifiers/beta.gguf",
                      sha256=sha256_file(dest / "modifiers" / "beta.gguf"),
                      size=(dest / "modifiers" / "beta.gguf").stat().st_size, base_sha256=base_sha,
                      version=version, created="2026-12-02T10:00:00Z",
                      metrics={"benchmark": "math exact match", "n": 69, "base": 0.015, "modifier": 0.101,
                               "gain": 0.086}, extra={"producer": "pipeline"}),
    ]
    write_manifest(dest / "manifest.json", entries)
    _json(run / "base" / "base.json", {"gguf": str(base_path), "gguf_sha256": base_sha})
    for phase, secs in (("base", 23.0), ("curate", 48.0), ("train_lora", 1026.4), ("evaluate", 569.0),
                        ("publish", 6.0)):
        _json(run / phase / "metrics.json", {"seconds": secs, "cpu_seconds": secs * 0.9})
        _json(run / phase / "DONE.json", {"key": "k", "finished": "2026-12-02T10:00:00Z", "seconds": secs})
    # The evaluate phase is the source of the card's metrics (it differs from the manifest copy on purpose).
    _json(run / "evaluate" / "metrics.json", {"seconds": 569.0, "domains": {
        "alpha": {"benchmark": "HumanEval pass@1 (problems 0-19)", "n": 20, "base": 0.05, "modifier": 0.25,
                  "gain": 0.2},
        "beta": {"benchmark": "math exact match", "n": 69, "base": 0.015, "modifier": 0.0, "gain": -0.015}}})
    _json(run / "evaluate" / "gates.json", {"alpha": {"passed": True}, "beta": {"passed": False}})
    _json(run / "publish" / "metrics.json", {"seconds": 6.0, "dest": str(dest), "published": ["alpha", "beta"]})
    _json(run / "publish" / "published-manifest.json", json.loads((dest / "manifest.json").read_text()))
    return run


def test_model_card_has_front_matter_base_sha_metrics_and_training(tmp_path, adapter_dir, base_path):
    run = make_run(tmp_path, adapter_dir, base_path)
    card = build_model_card(tmp_path / "artifacts" / "manifest.json", run, repo_id="acme/modroute-mods")
    assert card.startswith("---\n")
    front = yaml.safe_load(card.split("---\n")[1])
    assert front["license"] == "apache-2.0"
    assert front["base_model"] == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert front["library_name"] == "gguf"
    assert {"modroute", "lora", "code", "math"} <= set(front["tags"])
    assert sha256_cached(base_path) in card
    section = card.split("## Modifiers and their metrics")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0].strip("| "): line for line in section.splitlines() if line.startswith("| ")}
    # the evaluate phase's numbers (0.250 / +0.200), not the manifest's older copy (0.150)
    assert "0.250" in rows["alpha"] and "+0.200" in rows["alpha"] and "pass" in rows["alpha"]
    assert "-0.015" in rows["beta"] and "FAIL" in rows["beta"]
    assert "HumanEval pass@1" in rows["alpha"] and "1.200 → 0.900" in rows["alpha"]
    assert "| train_lora | 1026 |" in card and "preset tiny" in card
    assert "q_proj, v_proj" in card and "30/40" in card
    assert "router-quality" in card and "router/quality.safetensors" in card  # router artifacts listed
    # without a run directory the card still comes from the manifest alone
    bare = build_model_card(tmp_path / "artifacts" / "manifest.json")
    assert "0.150" in bare and "base_model: HuggingFaceTB/SmolLM2-135M-Instruct" in bare


def test_publish_makes_one_commit_with_every_artifact_and_tags_it(hub, tmp_path, adapter_dir, base_path, caplog):
    caplog.set_level(logging.DEBUG)
    run = make_run(tmp_path, adapter_dir, base_path)
    result = publish_run(run, "acme/modroute-mods", token=TOKEN)
    dest = tmp_path / "artifacts"
    assert result.tag == "2026-12-02-abc123"  # the artifact version
    tree = hub.tree("acme/modroute-mods", result.tag)
    local = {str(p.relative_to(dest)): p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    assert set(local) <= set(tree) and all(tree[k] == v for k, v in local.items())
    assert {"manifest.json", "router/manifest.json", "router/quality.json", "modifiers/alpha.gguf.zst",
            "README.md"} <= set(tree)
    assert tree["README.md"].decode() == build_model_card(dest / "manifest.json", run, repo_id="acme/modroute-mods")
    commits = hub.find("POST", r"/api/models/acme/modroute-mods/commit/main$")
    assert len(commits) == 1  # one commit for everything
    sent = {x["value"]["path"]: x["value"] for x in commits[0].ndjson() if x["key"] == "file"}
    assert set(sent) == set(tree)
    assert base64.b64decode(sent["modifiers/beta.gguf"]["content"]) == local["modifiers/beta.gguf"]
    created = hub.find("POST", r"/api/repos/create$")[0].json()
    assert created == {"name": "modroute-mods", "organization": "acme", "visibility": "private", "type": "model"}
    repo = hub.repos["acme/modroute-mods"]
    assert repo.tags[result.tag] == result.commit_sha == repo.branches["main"]
    assert result.url.endswith(f"/commit/{result.commit_sha}") and result.private
    assert set(result.files) == set(tree)
    assert all(r.authorization == f"Bearer {TOKEN}" for r in hub.requests)
    assert TOKEN not in caplog.text

    # Publishing the same run again is a no-op on the Hub (nothing changed; the tag already names that commit).
    again = publish_run(run, "acme/modroute-mods", token=TOKEN)
    assert again.commit_sha == result.commit_sha and len(repo.commits) == 1


def test_publish_refuses_a_corrupt_artifact_before_contacting_the_hub(hub, tmp_path, adapter_dir, base_path):
    run = make_run(tmp_path, adapter_dir, base_path)
    f = tmp_path / "artifacts" / "modifiers" / "beta.gguf"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    with pytest.raises(PublishError, match=r"beta: modifiers/beta.gguf does not match its SHA-256"):
        publish_run(tmp_path / "artifacts", "acme/mods", token=TOKEN, revision_tag="v1")
    assert hub.requests == []
    with pytest.raises(PublishError, match="owner/name"):
        publish_run(run, "not a repo", token=TOKEN)
    with pytest.raises(PublishError, match="neither an artifacts directory"):
        publish_run(tmp_path, "acme/mods", token=TOKEN)


@pytest.mark.parametrize("status, method, path, expect", [
    (403, "POST", r"/api/repos/create$", "403 Forbidden"),
    (404, "POST", r"/api/repos/create$", "not found (404)"),
    (429, "POST", r"/api/repos/create$", "rate-limiting these requests (429"),
    (503, "POST", r"/api/repos/create$", "server error (503)"),
    (500, "POST", r"/commit/main$", "(commit) failed: the Hub had a server error (500)"),
    (404, "POST", r"/tag/", "(tag) failed"),
    ("timeout", "POST", r"/api/repos/create$", "did not answer within 1 s (timeout)"),
])
def test_hub_errors_become_clear_publish_errors(hub, tmp_path, adapter_dir, base_path, caplog, status, method, path,
                                                expect):
    run = make_run(tmp_path, adapter_dir, base_path)
    hub.fail(method, path, status, times=None, delay=2.5)
    with pytest.raises(PublishError) as err:
        publish_run(run, "acme/mods", token=TOKEN, revision_tag="v1", timeout=1.0)
    msg = str(err.value)
    assert expect in msg and msg.startswith("Publishing to acme/mods")
    assert TOKEN not in msg and TOKEN not in caplog.text


def test_wrong_token_and_taken_tag_are_clear(hub, tmp_path, adapter_dir, base_path):
    run = make_run(tmp_path, adapter_dir, base_path)
    with pytest.raises(PublishError, match=r"401 Unauthorized.*HF_TOKEN") as err:
        publish_run(run, "acme/mods", token="hf_wrong_token_123", revision_tag="v1")
    assert "hf_wrong_token_123" not in str(err.value)
    other = hub.commit_files("acme/mods", {"README.md": b"---\nlicense: mit\n---\nold\n"})
    hub.repos["acme/mods"].tags["v1"] = other
    with pytest.raises(PublishError, match="tag 'v1' already names another commit"):
        publish_run(run, "acme/mods", token=TOKEN, revision_tag="v1")
