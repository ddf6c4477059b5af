"""Pipeline runners: real subprocesses, a real SQLite job table, the real huggingface_hub client.

LocalRunner runs the real ``example_bank`` phase on three inline examples (the cheapest real phase: no
upstream phases, MiniLM embeddings, ~15 s) end to end, and cancels the real ``base`` phase (dequantizing the
GGUF takes long enough to be caught running). HFJobsRunner talks to ``tests.hubfake.FakeJobsHub`` at a local
``HF_ENDPOINT``, which records the client's requests; the job's own program (``hf_entry``) runs here as a
subprocess against the same fake Hub, fetching this checkout at HEAD.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import progress
from pipeline.runners import JobBook, PipelineRunners, RunnerError, RunSpec, list_phases, resume
from pipeline.runners.base import PROJECT_ROOT, code_revision
from pipeline.runners.hf_jobs import ENTRY_SOURCE, HFJobsRunner
from pipeline.runners.local import LocalRunner
from telemetry.store import TelemetryStore
from tests.hubfake import FakeJobsHub

TOKEN = "hf_" + "Zq8" * 12  # token-shaped, so redaction by pattern is exercised too
EXAMPLES = [
    {"id": "a1", "instruction": "How do I reverse a list in Python?", "response": "Use my_list[::-1] or reverse()."},
    {"id": "a2", "instruction": "What is the capital of France?", "response": "The capital of France is Paris."},
    {"id": "a3", "instruction": "Name a primary colour, please.", "response": "Red is a primary colour."},
]


@pytest.fixture
def root(tmp_path) -> Path:
    r = tmp_path / "pipeline-root"
    (r / "data").mkdir(parents=True)
    (r / "data" / "general.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EXAMPLES))
    return r


@pytest.fixture
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path}/telemetry.db"
    TelemetryStore(url).migrate()
    return url


def bank_spec(root: Path, workdir: str, **kw) -> RunSpec:
    return RunSpec.parse({"phase": "example_bank", "preset": None, "workdir": workdir, "config": {
        "domains": {"general": {"train": str(root / "data" / "general.jsonl"), "modifier": False}},
        "decontaminate": False, "dtype": "float32"}, **kw}, work_root=root)


def all_rows_text(db_url: str) -> str:
    return json.dumps(TelemetryStore(db_url).pipeline_jobs(limit=1000), default=str)


# -- local -----------------------------------------------------------------------------------------------
def test_local_runner_runs_a_real_phase_with_progress_logs_and_a_restart(root, db_url):
    book = JobBook(TelemetryStore(db_url))
    runner = LocalRunner(book, root)
    job_id = runner.submit(bank_spec(root, "w1"), created_by="admin-test")
    first = runner.status(job_id)
    assert first.status == "running" and first.runner == "local" and first.created_by == "admin-test"
    seen_progress = set()
    deadline = time.monotonic() + 240
    while not (st := runner.status(job_id)).finished and time.monotonic() < deadline:
        seen_progress.add(st.progress_desc)
        time.sleep(0.3)
    assert st.status == "succeeded", (st.error, runner.logs(job_id))
    assert st.progress == 1.0 and st.progress_desc == "example_bank: done"
    assert "example_bank: starting" in seen_progress  # the phase's own report, read while it ran
    assert st.revision == code_revision(PROJECT_ROOT)[0] and st.cost_usd == 0.0
    out = root / "w1" / "example_bank"
    assert (out / "example_bank.safetensors").is_file() and st.artifact_uri == str(out)
    logs = runner.logs(job_id, tail=400)
    assert "$ python -m pipeline run example_bank --config" in logs
    assert "example_bank: done in" in logs and '"status": "done"' in logs
    assert len(runner.logs(job_id, tail=2).splitlines()) == 2
    job_dir = root / "jobs" / job_id
    assert progress.read_file(job_dir / "progress.json")["exit_code"] == 0

    # a new app process: new store object, book and runner on the same database
    book2 = JobBook(TelemetryStore(db_url))
    runners = PipelineRunners(book2, [LocalRunner(book2, root)])
    assert runners.resume() == []  # nothing was running
    (listed,) = runners.jobs()
    assert (listed.job_id, listed.status, listed.progress, listed.phase) == (job_id, "succeeded", 1.0, "example_bank")
    assert "done in" in (book2.get(job_id)["log_tail"] or "")
    stored = book2.get(job_id)["config"]
    assert stored["spec"]["phase"] == "example_bank" and stored["document"]["workdir"] == str(root / "w1")
    with pytest.raises(RunnerError, match="succeeded: nothing to cancel"):
        runners.cancel(job_id)


def test_cancel_after_a_restart_kills_the_process_group(root, db_url):
    book = JobBook(TelemetryStore(db_url))
    runner = LocalRunner(book, root, term_grace_s=5.0)
    job_id = runner.submit(RunSpec.parse({"phase": "base", "preset": None, "workdir": "w2"}, work_root=root))
    with pytest.raises(RunnerError, match="already running in"):
        runner.submit(RunSpec.parse({"phase": "base", "preset": None, "workdir": "w2"}, work_root=root))
    deadline = time.monotonic() + 120
    while "base: starting" not in (st := runner.status(job_id)).progress_desc and time.monotonic() < deadline:
        assert not st.finished, (st.error, runner.logs(job_id))
        time.sleep(0.2)
    pgid = book.get(job_id)["outputs"]["pgid"]
    os.killpg(pgid, 0)  # the group exists

    book2 = JobBook(TelemetryStore(db_url))
    runner2 = LocalRunner(book2, root, term_grace_s=5.0)
    (again,) = resume(book2, [runner2])
    assert (again.job_id, again.status) == (job_id, "running")
    assert "base: starting" in runner2.logs(job_id)
    st = runner2.cancel(job_id, by="admin-2")
    assert st.status == "cancelled" and st.error == "cancelled by admin-2"
    with pytest.raises(ProcessLookupError):
        os.killpg(pgid, 0)
    time.sleep(0.5)  # the first runner's watcher also sees the exit: it must not overwrite "cancelled"
    final = JobBook(TelemetryStore(db_url)).get(job_id)
    assert final["status"] == "cancelled" and final["finished_at"] is not None
    assert not (root / "w2" / "base").exists()  # killed before it could publish its output


def test_restart_records_how_a_vanished_process_ended(root, db_url):
    book = JobBook(TelemetryStore(db_url))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid that no longer runs
    jobs = {}
    for name, exit_record in (("silent", None), ("finished", 0), ("broke", 2)):
        job_dir = root / "jobs" / name
        job_dir.mkdir(parents=True)
        (job_dir / "log.txt").write_text("pipeline error: domain 'x': dataset y not found\n")
        if exit_record is not None:
            (job_dir / "progress.json").write_text(json.dumps({"phase": "curate", "fraction": 1.0,
                                                               "exit_code": exit_record}))
        jobs[name] = book.create(phase="curate", runner="local", config={}, status="running", outputs={
            "pid": gone.pid, "pgid": gone.pid, "start_ticks": 1, "log": str(job_dir / "log.txt"),
            "progress_file": str(job_dir / "progress.json"), "phases": ["curate"], "workdir": str(root / name)})
    remote = book.create(phase="train_lora", runner="hf_jobs", config={}, status="running")
    by_id = {s.job_id: s for s in resume(JobBook(TelemetryStore(db_url)), [LocalRunner(book, root)])}
    assert by_id[jobs["silent"]].status == "failed" and "process is gone" in by_id[jobs["silent"]].error
    assert by_id[jobs["finished"]].status == "succeeded"
    assert by_id[jobs["broke"]].status == "failed"
    assert by_id[jobs["broke"]].error == "exit code 2: pipeline error: domain 'x': dataset y not found"
    assert by_id[remote].status == "running" and "not configured" in by_id[remote].error


def test_paths_outside_the_work_root_and_bad_configs_are_refused(root, db_url):
    refused = {
        "workdir": ({"phase": "curate", "workdir": "../elsewhere"}, "outside the pipeline work root"),
        "absolute": ({"phase": "curate", "workdir": "/etc"}, "outside the pipeline work root"),
        "jobs": ({"phase": "curate", "workdir": "jobs/x"}, "outside the pipeline work root"),
        "in-config": ({"phase": "curate", "config": {"workdir": "../../x"}}, "outside the pipeline work root"),
        "dest": ({"phase": "publish", "config": {"dest": "/etc/modroute"}}, "publish.dest: '/etc/modroute' is "
                                                                             "outside the project"),
        "domain": ({"phase": "curate", "config": {"domains": {"x": {"train": "../../../../etc/passwd"}}}},
                   "domains.x.train"),
        "unknown key": ({"phase": "curate", "config": {"max_tokenz": 5}}, r"curate: unknown keys \['max_tokenz'\]"),
        "type": ({"phase": "curate", "config": {"max_tokens": "many"}}, "curate.max_tokens: expected int"),
        "nested type": ({"phase": "all", "config": {"train_lora": {"rank": "big"}}}, "train_lora.rank: expected int"),
        "domain key": ({"phase": "curate", "config": {"domains": {"x": {"trian": "a"}}}}, "domain 'x': unknown keys"),
        "phase": ({"phase": "rm -rf"}, "unknown phase 'rm -rf'"),
        "preset": ({"phase": "curate", "preset": "../../etc"}, "unknown preset"),
        "spec key": ({"phase": "curate", "shell": "true"}, "shell: Extra inputs are not permitted"),
        "bounds": ({"phase": "curate", "from_phase": "base"}, "from_phase/to_phase go with phase 'all'"),
    }
    for name, (data, message) in refused.items():
        with pytest.raises(RunnerError, match=message):
            RunSpec.parse({"workdir": "ok", **data} if "workdir" not in data and name != "in-config" else data,
                          work_root=root)
    ok = RunSpec.parse({"phase": "all", "workdir": "ok", "to_phase": "curate"}, work_root=root)
    run = ok.resolve(root)
    assert run.phases == ["base", "curate"] and run.workdir == (root / "ok").resolve()
    assert run.argv("c.yaml") == ["all", "--config", "c.yaml", "--to", "curate"]
    # A spec checked against another root is checked again by the runner against its own.
    elsewhere = RunSpec.parse({"phase": "curate", "workdir": str(root / "ok")}, work_root=root)
    with pytest.raises(RunnerError, match="outside the pipeline work root"):
        LocalRunner(JobBook(TelemetryStore(db_url)), root / "other").submit(elsewhere)
    assert JobBook(TelemetryStore(db_url)).list() == []


def test_phase_catalog_fields_and_hardware():
    cat = {p.name: p for p in list_phases()}
    assert list(cat)[-1] == "all" and "maml" in cat
    fields = {f.name: f for f in cat["train_lora"].fields}
    assert fields["rank"].type == "int" and fields["rank"].default == 8 and fields["workdir"].shared
    assert fields["targets"].type == "list[str]"
    assert cat["curate"].requires == ["base"] and cat["curate"].hardware == "cpu"
    assert RunSpec(phase="train_lora", config={"rank": 8}).resolve(root_default()).hardware == "cpu"
    assert RunSpec(phase="train_lora", config={"rank": 64}).resolve(root_default()).hardware == "gpu"
    assert RunSpec(phase="maml", config={"enabled": True}).resolve(root_default()).hardware == "gpu"


def root_default() -> Path:
    from pipeline.runners import default_work_root

    return default_work_root()


def test_progress_hook_reports_loop_fractions_and_the_exit_status(tmp_path, monkeypatch, capsys):
    from pipeline.config import PhaseConfig
    from pipeline.framework import execute

    pfile = tmp_path / "progress.json"
    monkeypatch.setenv(progress.FILE_ENV, str(pfile))
    monkeypatch.setenv(progress.LOG_ENV, "1")
    monkeypatch.setattr(progress, "MIN_INTERVAL_S", 0.0)
    seen = []

    def body(ctx):
        for _ in ctx.progress(range(4), "items"):
            seen.append(progress.read_file(pfile))
        return {}

    execute("unit", PhaseConfig(workdir=str(tmp_path / "w")), body)
    assert [r["fraction"] for r in seen] == [0.0, 0.25, 0.5, 0.75]  # read before each item is consumed
    assert seen[1]["desc"] == "items 1/4"
    assert progress.read_file(pfile)["desc"] == "done"
    progress.finish(0)
    assert progress.read_file(pfile)["exit_code"] == 0 and progress.read_file(pfile)["phase"] == "unit"
    err = capsys.readouterr().err
    assert progress.last_in_log(err) == {"exit_code": 0, "finished": progress.last_in_log(err)["finished"]}
    assert any(r and r.get("desc") == "items 4/4" for r in map(progress.last_in_log, err.splitlines()))
    monkeypatch.delenv(progress.FILE_ENV)
    monkeypatch.delenv(progress.LOG_ENV)
    assert not progress.enabled()


# -- Hugging Face Jobs ----------------------------------------------------------------------------------
@pytest.fixture
def hub(monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # conftest keeps the rest of the suite offline
    with FakeJobsHub(token=TOKEN) as h:
        monkeypatch.setenv("HF_ENDPOINT", h.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        yield h


def hf_runner(book, hub, root, **kw) -> HFJobsRunner:
    kw = {"code_repo": "https://git.example.org/modroute.git", "poll_s": 0, "min_poll_s": 0, "request_timeout_s": 1.5,
          **kw}
    return HFJobsRunner(book, endpoint=hub.url, work_root=root, **kw)


def test_hf_job_spec_pins_the_revision_and_passes_the_token_only_as_a_secret(root, db_url, hub):
    book = JobBook(TelemetryStore(db_url))
    runner = hf_runner(book, hub, root)
    flavors = {f.name: f for f in runner.flavors()}
    assert flavors["a10g-small"].price_per_hour_usd == pytest.approx(1.00002) and flavors["a10g-small"].gpu
    assert flavors["cpu-upgrade"].price_per_hour_usd == pytest.approx(0.03) and flavors["cpu-upgrade"].gpu is None
    runner.flavors()
    assert len(hub.find("GET", "/api/jobs/hardware$")) == 1  # cached

    small = RunSpec.parse({"phase": "train_lora", "runner": "hf_jobs", "hub_repo": "alice/modroute-runs",
                           "config": {"max_steps": 30}}, work_root=root)
    large = RunSpec.parse({"phase": "train_lora", "runner": "hf_jobs", "hub_repo": "alice/modroute-runs",
                           "config": {"rank": 32}}, work_root=root)
    est = runner.estimate(small)
    assert est.flavor == "cpu-upgrade" and est.cost_usd == pytest.approx(0.03 * est.expected_seconds / 3600, abs=1e-4)
    assert runner.estimate(large).flavor == "a10g-small"
    j_small, j_large = runner.submit(small, created_by="alice"), runner.submit(large)
    assert runner.status(j_large).flavor == "a10g-small"

    posts = hub.find("POST", "/api/jobs/alice$")
    assert len(posts) == 2 and all(p.authorization == f"Bearer {TOKEN}" for p in posts)
    spec_small, spec_large = (p.json() for p in posts)
    assert spec_small["flavor"] == "cpu-upgrade" and spec_large["flavor"] == "a10g-small"
    assert spec_small["dockerImage"] == "python:3.11-bookworm"
    assert spec_small["command"] == ["python", "-c", ENTRY_SOURCE] and spec_small["arguments"] == []
    assert spec_small["secrets"] == {"HF_TOKEN": TOKEN}
    assert TOKEN not in json.dumps([spec_small["environment"], spec_small["command"], spec_small["labels"]])
    assert spec_small["timeoutSeconds"] >= 3600
    assert spec_small["labels"]["modroute_job"] == j_small and spec_small["labels"]["modroute_phase"] == "train_lora"
    job = json.loads(spec_small["environment"]["MODROUTE_JOB"])
    assert job["revision"] == code_revision(PROJECT_ROOT)[0] and len(job["revision"]) == 40
    assert job["code_repo"] == "https://git.example.org/modroute.git"
    assert job["argv"] == ["run", "train_lora", "--config", "@CONFIG"]
    assert job["document"]["train_lora"]["max_steps"] == 30 and job["document"]["workdir"] == "var/pipeline/tiny"
    assert job["document"]["domains"]["code"]["train"] == "data/instructions/code.jsonl"  # the preset, as is
    assert (job["output_repo"], job["path_in_repo"]) == ("alice/modroute-runs", "pipeline/tiny")
    assert json.loads(spec_large["environment"]["MODROUTE_JOB"])["document"]["train_lora"]["rank"] == 32

    st = runner.status(j_small)
    assert st.status == "queued" and st.remote_id in hub.jobs and st.flavor == "cpu-upgrade"
    assert st.cost_estimate_usd == est.cost_usd and st.created_by == "alice"
    assert st.artifact_uri == f"{hub.url}/alice/modroute-runs/tree/main/pipeline/tiny"
    n = len(hub.requests)
    assert hf_runner(book, hub, root, min_poll_s=60).status(j_small).status == "queued"
    assert len(hub.requests) == n  # polled a moment ago: a refreshing tab does not hit the Hub again
    assert TOKEN not in all_rows_text(db_url)


def test_hf_status_progress_logs_cost_cancel_and_restart(root, db_url, hub):
    book = JobBook(TelemetryStore(db_url))
    runner = hf_runner(book, hub, root)
    spec = RunSpec.parse({"phase": "all", "runner": "hf_jobs", "hub_repo": "alice/runs", "flavor": "a10g-small",
                          "to_phase": "curate"}, work_root=root)
    done_id, cancel_id, later_id = runner.submit(spec), runner.submit(spec), runner.submit(spec)
    rid = book.get(done_id)["remote_id"]
    hub.set_stage(rid, "RUNNING", running_secs=60)
    hub.add_log(rid, "[modroute-job] $ git init -q /tmp/modroute",
                'MODROUTE_PROGRESS {"phase": "curate", "fraction": 0.5, "desc": "code perplexity 6/12"}',
                f"a careless line printing {TOKEN}", "and another token: hf_" + "Q" * 24)
    st = runner.status(done_id)
    assert st.status == "running" and st.progress == 0.75  # phase 2 of 2, half way
    assert st.progress_desc == "[2/2] curate: code perplexity 6/12"
    text = runner.logs(done_id, tail=50)
    assert "git init" in text and TOKEN not in text and "printing [redacted]" in text
    assert "another token: hf_[redacted]" in text  # token-shaped strings too
    assert hub.find("GET", f"/api/jobs/alice/{rid}/logs$")[-1].query["tail"] == ["50"]
    hub.set_stage(rid, "COMPLETED", running_secs=1800)
    st = runner.status(done_id)
    assert st.status == "succeeded" and st.progress == 1.0
    assert st.cost_usd == pytest.approx(1.00002 * 0.5, abs=1e-4)
    assert st.started_at is not None and st.finished_at is not None
    n = len(hub.requests)
    assert runner.status(done_id).status == "succeeded" and len(hub.requests) == n  # finished: no more polling

    crid = book.get(cancel_id)["remote_id"]
    hub.set_stage(crid, "RUNNING", running_secs=360)
    st = runner.cancel(cancel_id, by="bob")
    assert st.status == "cancelled" and st.error == "cancelled by bob"
    assert st.cost_usd == pytest.approx(1.00002 * 0.1, abs=1e-4)
    assert hub.find("POST", f"/api/jobs/alice/{crid}/cancel$")[0].authorization == f"Bearer {TOKEN}"
    assert hub.jobs[crid]["status"]["stage"] == "CANCELED"

    # restart: the job that was running is polled again by a new runner on the same table
    lrid = book.get(later_id)["remote_id"]
    hub.set_stage(lrid, "ERROR", message="CUDA out of memory", running_secs=120)
    book2 = JobBook(TelemetryStore(db_url))
    (again,) = resume(book2, [hf_runner(book2, hub, root)])
    assert (again.job_id, again.status) == (later_id, "failed")
    assert again.error == "the job ended in ERROR: CUDA out of memory"
    assert {j.status for j in PipelineRunners(book2, []).jobs()} == {"succeeded", "cancelled", "failed"}
    assert TOKEN not in all_rows_text(db_url)


def test_hub_errors_become_clear_runner_errors(root, db_url, hub, monkeypatch):
    book = JobBook(TelemetryStore(db_url))
    spec = RunSpec.parse({"phase": "curate", "runner": "hf_jobs", "hub_repo": "alice/runs"}, work_root=root)
    with pytest.raises(RunnerError, match=r"the Hub refused the token \(401\) while listing Jobs hardware: check "
                                          "HF_TOKEN"):
        hf_runner(book, hub, root, token="hf_wrongwrongwrongwrongwrong").submit(spec)
    runner = hf_runner(book, hub, root)
    hub.fail("POST", "/api/jobs/alice$", 503)
    with pytest.raises(RunnerError, match=r"server error \(503\) while starting the job on cpu-upgrade: try again"):
        runner.submit(spec)
    (failed,) = book.list(status="failed")
    assert "server error (503)" in failed["error"]  # the attempt is on record
    job_id = runner.submit(spec)
    hub.rate_limit("GET", "/api/jobs/alice/", retry_after=7)
    with pytest.raises(RunnerError, match=r"rate limited by the Hub \(429\) while checking job \w+: retry in 7 s") as e:
        runner.status(job_id)
    assert e.value.retry_after == 7 and e.value.status_code == 429
    hub.fail("GET", r"/api/jobs/alice/\w+$", "timeout", delay=3.0)
    t0 = time.monotonic()
    with pytest.raises(RunnerError, match=r"did not answer within 1.5 s while checking job \w+ \(timeout\)"):
        runner.status(job_id)
    assert time.monotonic() - t0 < 3.0
    assert runner.status(job_id).status == "queued"  # the next poll works
    book.update(job_id, remote_id="000000000000000000000000")
    with pytest.raises(RunnerError, match=r"not found on the Hub \(404\) while checking job 0+"):
        runner.status(job_id)
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(RunnerError, match="no Hub token: set HF_TOKEN"):
        hf_runner(book, hub, root).submit(spec)
    with pytest.raises(RunnerError, match="MODROUTE_CODE_REPO"):
        hf_runner(book, hub, root, code_repo=None, token=TOKEN).submit(spec)
    with pytest.raises(RunnerError, match="name the Hub repo"):
        runner.submit(RunSpec.parse({"phase": "curate", "runner": "hf_jobs"}, work_root=root))
    with pytest.raises(RunnerError, match="unknown Jobs flavor 'h100-huge'; available: cpu-basic"):
        hf_runner(book, hub, root, token=TOKEN).estimate(spec.model_copy(update={"flavor": "h100-huge"}))
    assert TOKEN not in all_rows_text(db_url)


def test_the_job_program_fetches_the_pinned_commit_runs_and_pushes(tmp_path, hub):
    """hf_entry.py as the job runs it (python -c), minus pip install: this checkout at HEAD over file://."""
    revision = code_revision(PROJECT_ROOT)[0]
    job = {"job_id": "j-entry", "code_repo": f"file://{PROJECT_ROOT}", "revision": revision,
           "hub_host": hub.url.split("://")[1], "argv": ["run", "maml", "--config", "@CONFIG"],
           "document": {"workdir": "var/pipeline/entry", "maml": {"enabled": False}}, "workdir": "var/pipeline/entry",
           "output_repo": "alice/entry-runs", "path_in_repo": "pipeline/entry", "install": False}
    env = {**os.environ, "MODROUTE_JOB": json.dumps(job), "HF_TOKEN": TOKEN, "HF_ENDPOINT": hub.url,
           "MODROUTE_CHECKOUT": str(tmp_path / "checkout"), "HF_HUB_DISABLE_TELEMETRY": "1",
           "HF_HUB_OFFLINE": "0"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-c", ENTRY_SOURCE], env=env, capture_output=True, text=True, timeout=180,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "maml: disabled" in proc.stderr and "pipeline exited with 0" in proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    head = subprocess.run(["git", "-C", str(tmp_path / "checkout"), "rev-parse", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    assert head == revision
    tree = hub.tree("alice/entry-runs")
    assert json.loads(tree["pipeline/entry/jobs/j-entry.json"]) == {
        "job_id": "j-entry", "revision": revision, "argv": job["argv"], "exit_code": 0}
    assert all(a.authorization == f"Bearer {TOKEN}" for a in hub.find("POST", "/api/models/alice/entry-runs/"))

    # The next job on the same repo starts from what the last one pushed (how a phase finds its upstream).
    env["MODROUTE_JOB"] = json.dumps({**job, "job_id": "j-entry-2"})
    proc = subprocess.run([sys.executable, "-c", ENTRY_SOURCE], env=env, capture_output=True, text=True, timeout=180,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "pulled pipeline/entry/ from alice/entry-runs" in proc.stderr
    assert {"pipeline/entry/jobs/j-entry.json", "pipeline/entry/jobs/j-entry-2.json"} <= set(hub.tree("alice/entry-runs"))


def test_local_runner_env_has_no_tokens(root, db_url, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    runner = LocalRunner(JobBook(TelemetryStore(db_url)), root)
    env = runner._env(root / "p.json")
    assert "HF_TOKEN" not in env and env[progress.FILE_ENV] == str(root / "p.json")
