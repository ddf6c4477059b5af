"""What a Hugging Face Job runs: ModRoute at a pinned commit, one pipeline run, its outputs pushed to the Hub.

``HFJobsRunner`` sends this file's text as ``python -c <text>`` (a fixed program, never built from user
input). Everything it needs comes from the environment:

- ``MODROUTE_JOB``: JSON, no secrets: ``code_repo`` (a git URL), ``revision`` (a commit sha), ``argv`` (after
  ``python -m pipeline``), ``document`` (the pipeline YAML, as JSON), ``workdir`` (inside the checkout),
  ``output_repo`` and ``path_in_repo`` (where the work directory goes), ``job_id``, ``hub_host``.
- ``HF_TOKEN``: a job *secret*. Handed to git only through ``GIT_CONFIG_*`` variables (never an argument,
  never printed) and only for the Hub's own host, and to ``huggingface_hub``.

Steps: fetch the commit, install requirements.txt, pull the work directory already in the output repo
(so a phase finds the upstream phases earlier jobs pushed), run the pipeline with progress lines on
stderr, push the work directory back (hidden partial/cache directories excluded), exit with the
pipeline's status. Only the standard library is imported before the requirements are installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

CHECKOUT = Path(os.environ.get("MODROUTE_CHECKOUT", "/tmp/modroute"))


def say(msg: str) -> None:
    print(f"[modroute-job] {msg}", file=sys.stderr, flush=True)


def run(argv: list[str], **kw) -> None:
    say("$ " + " ".join(argv))
    subprocess.run(argv, check=True, **kw)


def git_env(job: dict) -> dict[str, str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    token = os.environ.get("HF_TOKEN", "")
    if token and urlparse(job["code_repo"]).netloc == job.get("hub_host"):
        env.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader",
                    "GIT_CONFIG_VALUE_0": f"Authorization: Bearer {token}"})
    return env


def fetch_code(job: dict) -> None:
    if CHECKOUT.exists():
        shutil.rmtree(CHECKOUT)
    CHECKOUT.mkdir(parents=True)
    env = git_env(job)
    run(["git", "init", "-q", str(CHECKOUT)])
    try:
        run(["git", "-C", str(CHECKOUT), "fetch", "-q", "--depth", "1", job["code_repo"], job["revision"]], env=env)
    except subprocess.CalledProcessError:
        say("the server does not serve a single commit; fetching everything")
        run(["git", "-C", str(CHECKOUT), "fetch", "-q", job["code_repo"]], env=env)
    run(["git", "-C", str(CHECKOUT), "checkout", "-q", job["revision"]])
    head = subprocess.run(["git", "-C", str(CHECKOUT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    if head != job["revision"]:
        raise SystemExit(f"checked out {head}, expected {job['revision']}")


def pull_workdir(job: dict, workdir: Path) -> None:
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import RepositoryNotFoundError

    api = HfApi()
    try:
        api.repo_info(job["output_repo"])
    except RepositoryNotFoundError:
        say(f"{job['output_repo']} does not exist yet: starting from an empty work directory")
        return
    prefix = job["path_in_repo"].strip("/")
    tmp = CHECKOUT / "var" / "hub-pull"
    snapshot_download(job["output_repo"], allow_patterns=[f"{prefix}/**"], local_dir=str(tmp))
    src = tmp / prefix
    if src.is_dir():
        shutil.copytree(src, workdir, dirs_exist_ok=True)
        say(f"pulled {prefix}/ from {job['output_repo']}")


def push_workdir(job: dict, workdir: Path, rc: int) -> None:
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(job["output_repo"], private=True, exist_ok=True)
    summary = {"job_id": job["job_id"], "revision": job["revision"], "argv": job["argv"], "exit_code": rc}
    (workdir / "jobs").mkdir(parents=True, exist_ok=True)
    (workdir / "jobs" / f"{job['job_id']}.json").write_text(json.dumps(summary, indent=2) + "\n")
    api.upload_folder(folder_path=str(workdir), repo_id=job["output_repo"], path_in_repo=job["path_in_repo"],
                      ignore_patterns=[".*", ".*/**", "**/.*", "**/.*/**"],
                      commit_message=f"pipeline job {job['job_id']}: {' '.join(job['argv'][:2])} at "
                                     f"{job['revision'][:12]} (exit {rc})")
    say(f"pushed {workdir} to {job['output_repo']}/{job['path_in_repo']}")


def main() -> int:
    job = json.loads(os.environ["MODROUTE_JOB"])
    fetch_code(job)
    if job.get("install", True):
        run([sys.executable, "-m", "pip", "install", "-q", "-r", "requirements.txt"], cwd=CHECKOUT)
    workdir = CHECKOUT / job["workdir"]
    workdir.mkdir(parents=True, exist_ok=True)
    if job.get("output_repo"):
        pull_workdir(job, workdir)
    config = CHECKOUT / "var" / "job-config.json"
    config.write_text(json.dumps(job["document"]))  # JSON is YAML
    argv = [a if a != "@CONFIG" else str(config) for a in job["argv"]]
    # The phases need no token (the push below is this program's): keep it out of their environment.
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env.update({"MODROUTE_PROGRESS_LOG": "1", "PYTHONUNBUFFERED": "1"})
    rc = subprocess.run([sys.executable, "-m", "pipeline", *argv], cwd=CHECKOUT, env=env).returncode
    say(f"pipeline exited with {rc}")
    if job.get("output_repo"):
        push_workdir(job, workdir, rc)
    return rc


if __name__ == "__main__":
    sys.exit(main())
