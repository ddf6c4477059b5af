"""Load benchmark across servers: ours vs ``python -m llama_cpp.server`` vs C++ ``llama-server``, one run.

    python -m runtime loadbench [--levels 1,4,8,16] [--requests 16] [--max-tokens 64] [--rounds 1] [--json]

Each server is started as a subprocess, alone (never two at once), warmed up, measured, and stopped.
The clients are asyncio + httpx streaming requests from this process, which holds no model: the
servers' decoding has the cores to itself apart from SSE parsing here.

Per server and per concurrency level N: ``--requests`` requests (default 16) are sent by N
concurrent streaming clients, each sending its next request when its previous one ends (closed loop),
so every level and every server answers the same 16 prompts (different prompts per level, so no level
starts on a prefix cache filled by the previous one). Reported: aggregate tokens/s (all completion
tokens / wall time from the first request sent to the last byte received) and p50/p95 time to first
token (request sent -> first non-empty content delta).

Scenarios:

- ``base``: base-model requests. Ours with ``"mode": "fast"`` and ``"cascade": false`` (the router
  adds no work: no probe, no regeneration). llama-server is started **without** adapters (loaded
  adapters slow its base requests even when not applied, so this is its best configuration).
- ``modifiers``: request i uses modifier i mod 4. Ours with ``"mode": "accurate"``,
  ``"modifier": NAME`` and the Accurate tools off (no critique, self-consistency or few-shot);
  llama-server started with ``--lora FILE`` per modifier and ``--lora-init-without-apply``, each
  request with ``"lora": [{"id": i, "scale": 1.0}]``. ``llama_cpp.server`` cannot switch adapters
  per request (one ``--lora_path`` per loaded model), so it is skipped here.

The servers: ours is ``python app.py`` (telemetry into a temporary data dir, retraining off) from this
checkout or ``--ours-dir``; ``llama_cpp.server`` runs with ``--interrupt_requests false`` (its default
cuts a running stream when the next request arrives) and needs its [server] extras
(scripts/llama_cpp_server_extras.sh, skipped with that message otherwise); llama-server is the binary
scripts/build_llama_server.sh builds (skipped with that message where it is absent), ``--parallel 16
-c 16384``. All run with ``--threads`` (2) and llama.cpp's extra weight buffers off (``--no-repack``;
with them both llama.cpp builds segfault on this project's AMX CPUs, see runtime/llama_load.py).

Equal work: ``max_tokens`` (64) for all, greedy (temperature 0), and by default no ``ignore_eos``: every
server stops at the model's end of sequence or at max_tokens, so all give the same greedy answers
(SmolLM2 with a modifier often stops after ~40 tokens) and do the same work per request. Only
llama-server honours ``ignore_eos`` (ours refuses unknown fields, llama_cpp.server ignores it; probed
at warm-up either way and printed); sending it to llama-server alone would make it generate ~60%
more tokens per modifier answer than the others, and its first tokens wait behind that extra work.
``--ignore-eos`` sends it to the servers that honour it anyway. Tokens are counted from each server's
``usage`` (``stream_options.include_usage``) where it sends one, else as content deltas
(llama_cpp.server: one per token); tok/s always comes from those real counts, and the mean tokens per
answer of every server are printed under each table, so unequal work is visible.

Nothing here asserts on time; the ratios (ours / llama-server, ours / llama_cpp.server) are
measured side by side in one run and the machine's load average is printed before and after each
server. On a shared machine use ``--rounds 3``: the servers then take turns and each cell is a median.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from runtime.loadclient import combine_rounds, run_level
from runtime.loadservers import (
    DEFAULT_LLAMA_SERVER,
    REPO_ROOT,
    ServerSpec,
    check_ignore_eos,
    plan_servers,
    running,
)

SERVERS = ("ours", "llama_cpp.server", "llama-server")
SCENARIOS = ("base", "modifiers")
LEVELS = (1, 4, 8, 16)

TOPICS = [
    "the sea", "a lighthouse", "mountains", "a library", "the moon", "a forest", "trains", "coffee",
    "rain", "a city at night", "bees", "the desert", "a violin", "winter", "a garden", "the stars",
    "bridges", "a market", "clouds", "a river", "autumn leaves", "a bakery", "volcanoes", "a museum",
    "the ocean floor", "a snowstorm", "a chess game", "an old clock", "a harbour", "wolves", "a castle",
    "the wind", "a bicycle", "a thunderstorm", "a waterfall", "glaciers", "a train station", "owls",
    "a vineyard", "the northern lights", "a lantern", "a canyon", "honey", "a marathon", "a fishing boat",
    "the first snow", "a piano", "a meadow", "a telescope", "a coral reef", "a windmill", "a mountain lake",
    "a street festival", "a kite", "the rainforest", "a bookshop", "a sunrise", "an island", "a quiet village",
    "a spice market", "a paper boat", "a lighthouse keeper", "a swan", "a night train",
]


def prompt_for(level_index: int, i: int) -> str:
    """The i-th prompt of the level_index-th concurrency level (the same for every server)."""
    return f"Write a paragraph about {TOPICS[(level_index * 16 + i) % len(TOPICS)]}."


# -- the run ---------------------------------------------------------------------------------------
def prepare_modifiers(manifest: Path, model: Path, dest: Path, count: int = 4) -> tuple[list[str], list[Path], str]:
    """Names and verified, decompressed GGUF files of the first ``count`` modifiers (manifest order),
    and why the modifier scenario cannot run ('' when it can)."""
    from runtime.artifacts import ArtifactError, materialize, read_manifest, sha256_cached

    try:
        m = read_manifest(manifest)
    except ArtifactError as e:
        return [], [], str(e)
    entries = m.of_kind("modifier")
    base_sha = sha256_cached(model)
    names, files, problems = [], [], []
    for e in entries:
        if len(names) == count:
            break
        if e.base_sha256 and e.base_sha256 != base_sha:
            problems.append(f"{e.name}: trained for another base")
            continue
        try:
            files.append(materialize(e, m.root, dest))
            names.append(e.name)
        except ArtifactError as err:
            problems.append(str(err))
    if len(names) < count:
        return names, files, (f"{count} modifiers needed, {len(names)} usable in {manifest}"
                              + (f" ({'; '.join(problems)})" if problems else ""))
    return names, files, ""


def run(levels: list[int] | None = None, requests: int = 16, max_tokens: int = 64,
        servers: list[str] | None = None, scenarios: list[str] | None = None, threads: int = 2,
        llama_server: Path | None = None, log=None, ours_dir: Path | None = None, rounds: int = 1,
        send_ignore_eos: bool = False, quiet_wait_s: float = 0.0, out_file: Path | None = None) -> dict[str, Any]:
    """The whole comparison. With ``rounds`` > 1 every server is run that many times in turn (ours, llama_cpp.server,
    llama-server, ours, ...), so load from elsewhere on the machine spreads over all of them; each cell is
    then the median over rounds (the per-round values are kept).

    ``out_file`` is rewritten (atomically) with the results so far after every level, so a run that is
    killed leaves what it measured; Ctrl-C / SIGTERM ends the run early with ``"interrupted"`` set."""
    from runtime.settings import Settings

    levels = list(levels or LEVELS)
    servers = list(servers or SERVERS)
    scenarios = list(scenarios or SCENARIOS)
    llama_server = Path(llama_server or os.environ.get("MODROUTE_LLAMA_SERVER") or DEFAULT_LLAMA_SERVER)
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    settings = Settings()
    model = settings.resolve_model_path()
    out: dict[str, Any] = {
        "settings": {"levels": levels, "requests_per_level": requests, "max_tokens": max_tokens, "threads": threads,
                     "temperature": 0, "model": model.name, "cpus": os.cpu_count(), "scenarios": scenarios,
                     "rounds": rounds, "quiet_wait_s": quiet_wait_s, "ignore_eos": "where honoured" if send_ignore_eos else "never",
                     "ours": _describe_checkout(Path(ours_dir or REPO_ROOT))},
        "load_avg_before": [round(x, 2) for x in os.getloadavg()],
        "servers": {},
    }
    per_round: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}

    def snapshot() -> dict[str, Any]:
        for name, scens in per_round.items():
            for scen, lvls in scens.items():
                out["servers"][name]["scenarios"][scen] = {lv: combine_rounds(sts) for lv, sts in lvls.items()}
        out["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
        out["ratios"] = ratios(out)
        return out

    def record(name: str, scen: str, level: str, st: dict[str, Any]) -> None:
        per_round.setdefault(name, {}).setdefault(scen, {}).setdefault(level, []).append(st)
        if out_file is not None:
            tmp_file = out_file.with_name(out_file.name + ".part")
            tmp_file.write_text(json.dumps(snapshot()))
            os.replace(tmp_file, out_file)

    try:
        _run_rounds(out, rounds, servers, scenarios, levels, requests, max_tokens, threads, llama_server, settings,
                    model, ours_dir, send_ignore_eos, quiet_wait_s, log, record)
    except KeyboardInterrupt as e:
        out["interrupted"] = str(e) or "Ctrl-C"
        log(f"interrupted ({out['interrupted']}); the server that was running has been stopped")
    return snapshot()


def _run_rounds(out, rounds, servers, scenarios, levels, requests, max_tokens, threads, llama_server, settings, model,
                ours_dir, send_ignore_eos, quiet_wait_s, log, record) -> None:
    with tempfile.TemporaryDirectory(prefix="modroute-loadbench-") as tmp:
        tmpdir = Path(tmp)
        mod_names, mod_files, lora_problem = [], [], ""
        if "modifiers" in scenarios:
            mod_names, mod_files, lora_problem = prepare_modifiers(Path(settings.manifest), model,
                                                                   tmpdir / "modifiers")
        out["settings"]["modifiers"] = mod_names
        for r in range(rounds):
            # Planned again each round: fresh ports, and a server that failed once is not started again.
            specs = plan_servers(servers, scenarios, model, mod_files, tmpdir, threads, llama_server, lora_problem,
                                 settings.extra_buffers, Path(ours_dir or REPO_ROOT))
            for spec in specs:
                res = out["servers"].setdefault(spec.name, {"skipped": {}, "scenarios": {}, "runs": []})
                for scen, why in spec.skipped.items():
                    if scen not in res["skipped"]:
                        res["skipped"][scen] = why
                        log(f"[{spec.name}] {'' if scen == '*' else scen + ': '}skipped: {why}")
                if "*" in res["skipped"]:
                    continue
                for n, launch in enumerate(spec.launches):
                    todo = [sc for sc in launch.scenarios if sc not in res["skipped"]]
                    if not todo:
                        continue
                    info: dict[str, Any] = {"round": r + 1, "scenarios": todo,
                                            "load_avg_before": [round(x, 2) for x in os.getloadavg()]}
                    res["runs"].append(info)
                    log(f"[{spec.name}] round {r + 1}/{rounds}: starting for {', '.join(todo)} "
                        f"(load avg {info['load_avg_before']})")
                    try:
                        with running(launch, tmpdir / f"{spec.name}-{r}-{n}.log") as served:
                            chat = served.url + "/v1/chat/completions"
                            honoured, how = check_ignore_eos(chat, spec, max_tokens)  # also the first warm-up
                            ignore_eos = honoured and send_ignore_eos
                            info["ignore_eos"] = how + ("; sent" if ignore_eos else "; not sent")
                            info["ignore_eos_sent"] = ignore_eos
                            log(f"[{spec.name}] ignore_eos: {how}")
                            for scen in todo:
                                _measure(spec, chat, scen, levels, requests, max_tokens, ignore_eos, mod_names, log,
                                         served.pid, quiet_wait_s,
                                         lambda lv, st, name=spec.name, scen=scen: record(name, scen, lv, st))
                    except RuntimeError as e:
                        log(f"[{spec.name}] failed: {e}")
                        for scen in todo:
                            res["skipped"].setdefault(scen, f"{spec.name} failed: {str(e).splitlines()[0]}")
                        info["error"] = str(e)
                    finally:
                        info["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]


def _describe_checkout(path: Path) -> str:
    """Which code 'ours' ran: the checkout's commit, and whether its tracked files had local changes."""
    try:
        head = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(path), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return str(path)
    if head.returncode != 0:
        return f"{path} (not a git checkout)"
    return f"{path} at {head.stdout.strip()}" + (" with local changes" if dirty.stdout.strip() else "")


def _measure(spec: ServerSpec, url: str, scenario: str, levels: list[int], requests: int, max_tokens: int,
             ignore_eos: bool, modifiers: list[str], log, server_pid: int | None = None,
             quiet_wait_s: float = 0.0, record=None) -> dict[str, Any]:
    def mod_for(i: int) -> tuple[int, str] | None:
        return (i % len(modifiers), modifiers[i % len(modifiers)]) if scenario == "modifiers" else None

    def body(prompt: str, i: int, tokens: int) -> dict[str, Any]:
        b = spec.body(prompt, tokens, mod_for(i))
        if ignore_eos:
            b["ignore_eos"] = True
        return b

    # Warm-up: one short answer per adapter (or the base), so the first measured request pays no first-use cost.
    warm = [body("Say hello.", i, 8) for i in range(len(modifiers) if scenario == "modifiers" else 1)]
    run_level(url, warm, 1)
    stats: dict[str, Any] = {}
    for li, n in enumerate(levels):
        bodies = [body(prompt_for(li, i), i, max_tokens) for i in range(requests)]
        waited = wait_until_quiet(server_pid, quiet_wait_s, log) if quiet_wait_s > 0 else None
        meter = OutsideLoad(server_pid)
        st = run_level(url, bodies, n)
        stats[str(n)] = {**asdict(st), "other_cpu_cores": meter.cores(), "waited_for_quiet_s": waited}
        if record is not None:
            record(str(n), stats[str(n)])
        log(f"[{spec.name}] {scenario} x{n}: {st.tok_s} tok/s, first token p50 {st.ttft_p50_s} s p95 "
            f"{st.ttft_p95_s} s, {st.completed}/{st.requests} ok, {st.mean_tokens} tokens/answer ({st.token_count}); "
            f"other processes busy {stats[str(n)]['other_cpu_cores']} cores"
            + (f"; errors: {st.errors}" if st.errors else ""))
    return stats


class OutsideLoad:
    """CPU time the rest of the machine used while a level ran, in cores: all busy CPU time (/proc/stat) less
    the server's (its /proc/PID/stat, threads included) and this client process's. On a shared 2-core machine
    this says how much of the cores the server under test really had (None where /proc is not there)."""

    def __init__(self, server_pid: int | None):
        self.pid = server_pid
        self.t0, self.start = time.monotonic(), self._sample()

    def _sample(self) -> tuple[float, float, float] | None:
        try:
            tick = os.sysconf("SC_CLK_TCK")
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
            busy = sum(fields[:3]) + sum(fields[5:8])  # user nice system + irq softirq steal (no idle, iowait)
            server = 0.0
            if self.pid is not None:
                with open(f"/proc/{self.pid}/stat") as f:
                    after_name = f.read().rsplit(")", 1)[1].split()
                server = sum(int(x) for x in after_name[11:15])  # utime stime cutime cstime
            own = os.times()
            return busy / tick, server / tick, own.user + own.system
        except (OSError, ValueError, IndexError):
            return None

    def cores(self) -> float | None:
        end = self._sample()
        wall = time.monotonic() - self.t0
        if self.start is None or end is None or wall <= 0:
            return None
        busy, server, own = (b - a for a, b in zip(self.start, end, strict=True))
        return round(max(0.0, busy - server - own) / wall, 2)


def wait_until_quiet(server_pid: int | None, max_wait_s: float, log, threshold_cores: float = 0.3,
                     window_s: float = 3.0) -> float:
    """Before a level: wait (at most ``max_wait_s``) until other processes keep less than ``threshold_cores``
    busy over a ``window_s`` window. On 2 cores, llama.cpp's 2 decoding threads lose far more than the share
    another process takes (a preempted thread stalls every step of the other), so a level run next to a busy
    test suite measures the suite. Returns the seconds waited; the level's ``bg`` still says what it got."""
    t0 = time.monotonic()
    while True:
        meter = OutsideLoad(server_pid)
        time.sleep(window_s)
        busy = meter.cores()
        waited = time.monotonic() - t0
        if busy is None or busy < threshold_cores:
            return round(waited - window_s, 1)
        if waited >= max_wait_s:
            log(f"  machine still busy ({busy} cores used by other processes) after {waited:.0f} s; measuring anyway")
            return round(waited, 1)


def ratios(out: dict[str, Any]) -> dict[str, Any]:
    """ours / other for tok/s (higher is better for ours) and for p95 first token (lower is better)."""
    servers = out["servers"]
    ours = servers.get("ours", {}).get("scenarios", {})
    res: dict[str, Any] = {}
    for other in ("llama-server", "llama_cpp.server"):
        theirs = servers.get(other, {}).get("scenarios", {})
        for scen, levels in ours.items():
            for n, st in levels.items():
                o = theirs.get(scen, {}).get(n)
                if not o:
                    continue
                res.setdefault(f"ours/{other}", {}).setdefault(scen, {})[n] = {
                    "tok_s": _ratio(st["tok_s"], o["tok_s"]),
                    "ttft_p95": _ratio(st["ttft_p95_s"], o["ttft_p95_s"]),
                }
    return res


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None

# -- output ----------------------------------------------------------------------------------------
def format_table(out: dict[str, Any]) -> str:
    s = out["settings"]
    lines = [f"Load benchmark: {s['model']}, {s['threads']} threads, greedy, max_tokens={s['max_tokens']}, "
             f"ignore_eos {s.get('ignore_eos', '?')}, "
             f"{s['requests_per_level']} requests per level, {s['cpus']} CPUs; ours: {s.get('ours', '?')}"
             + (f"; median of {s['rounds']} rounds" if s.get("rounds", 1) > 1 else ""),
             f"load average (1/5/15 min) before {out['load_avg_before']}, after {out.get('load_avg_after')}"
             + (f"; INTERRUPTED ({out['interrupted']}): partial results" if "interrupted" in out else ""),
             "tok/s = all completion tokens / wall time of the level; p50/p95 = time to first token, s; "
             "bg = cores busy with other processes during the level (of " + str(s["cpus"]) + "); "
             "ratio columns ours/X: tok/s (>1: ours faster), p95 (<1: ours sooner)"]
    names = [n for n in SERVERS if n in out["servers"]]
    for name in names:
        srv = out["servers"][name]
        for scen, why in srv.get("skipped", {}).items():
            lines.append(f"  {name}{'' if scen == '*' else ' / ' + scen}: skipped: {why}")
        for r in srv.get("runs", []):
            if "ignore_eos" in r:
                lines.append(f"  {name} ({', '.join(r['scenarios'])}{', round ' + str(r['round']) if s.get('rounds', 1) > 1 else ''}): "
                             f"ignore_eos {r['ignore_eos']}; load avg {r.get('load_avg_before')} -> {r.get('load_avg_after')}")
    others = [n for n in ("llama-server", "llama_cpp.server") if n in out["servers"] and "ours" in out["servers"]]
    groups = [(n, ("tok/s", "p50", "p95", "bg")) for n in names] + [(f"ours/{n}", ("tok/s", "p95")) for n in others]
    widths = [max(len(g), 7 * len(cols) - 1) for g, cols in groups]
    for scen in s["scenarios"]:
        title = {"base": "base only (ours: mode fast; llama-server without adapters)",
                 "modifiers": f"16 streams over 4 modifiers {s.get('modifiers')} (request i -> modifier i mod 4)"}
        lines += ["", f"== {scen}: {title.get(scen, scen)}",
                  f"{'':>7} |" + "".join(f" {g:^{w}} |" for (g, _), w in zip(groups, widths, strict=True)),
                  f"{'clients':>7} |" + "".join(f" {' '.join(f'{c:>6}' for c in cols):>{w}} |"
                                                for (_, cols), w in zip(groups, widths, strict=True))]
        for n in s["levels"]:
            cells = []
            for name in names:
                st = out["servers"][name].get("scenarios", {}).get(scen, {}).get(str(n))
                cells.append([_f(st, "tok_s", 1), _f(st, "ttft_p50_s", 2), _f(st, "ttft_p95_s", 2),
                              _f(st, "other_cpu_cores", 2)])
            for other in others:
                rt = out["ratios"].get(f"ours/{other}", {}).get(scen, {}).get(str(n))
                cells.append([_f(rt, "tok_s", 2), _f(rt, "ttft_p95", 2)])
            lines.append(f"{n:>7} |" + "".join(f" {' '.join(f'{c:>6}' for c in cell):>{w}} |"
                                               for cell, w in zip(cells, widths, strict=True)))
        for name in names:
            levels = out["servers"][name].get("scenarios", {}).get(scen, {})
            if levels:
                lines.append(f"  {name}: tokens per answer " + " ".join(f"x{n} {st['mean_tokens']:g}"
                                                                        for n, st in levels.items())
                             + f" (counted from {'/'.join(sorted({st['token_count'] for st in levels.values()}))})")
            for n, st in levels.items():
                if st["completed"] < st["requests"] or st["errors"]:
                    lines.append(f"  note: {name} x{n}: {st['completed']}/{st['requests']} completed, errors "
                                 f"{st['errors']}")
    return "\n".join(lines)


def _f(d: dict | None, key: str, nd: int) -> str:
    v = None if d is None else d.get(key)
    return "-" if v is None else f"{v:.{nd}f}"

def main(levels: list[int], requests: int, max_tokens: int, servers: list[str], scenarios: list[str],
         threads: int, as_json: bool, llama_server: str | None, ours_dir: str | None = None, rounds: int = 1,
         send_ignore_eos: bool = False, quiet_wait_s: float = 0.0, out_file: str | None = None) -> int:
    import signal

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # SIGTERM (a kill, a CI timeout) unwinds like Ctrl-C, so the server subprocess running now is stopped too.
    signal.signal(signal.SIGTERM, interrupted)
    out = run(levels, requests, max_tokens, servers, scenarios, threads, Path(llama_server) if llama_server else None,
              ours_dir=Path(ours_dir) if ours_dir else None, rounds=rounds, send_ignore_eos=send_ignore_eos,
              quiet_wait_s=quiet_wait_s, out_file=Path(out_file) if out_file else None)
    print(json.dumps(out) if as_json else format_table(out))
    if "interrupted" in out:
        return 130
    measured = [st for srv in out["servers"].values() for sc in srv["scenarios"].values() for st in sc.values()]
    return 0 if measured and all(st["completed"] == st["requests"] for st in measured) else 1
