"""The load benchmark's (runtime/loadbench.py, loadclient.py, loadservers.py) parsing, aggregation, server plans and report, against a small fake SSE server
(a local HTTP server at the network boundary); no model is loaded."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runtime import loadbench as lb
from runtime import loadclient as lc
from runtime import loadservers as ls


def test_percentile_interpolates_like_numpy():
    xs = [4.0, 1.0, 3.0, 2.0]
    assert lc.percentile(xs, 50) == pytest.approx(2.5)
    assert lc.percentile(xs, 95) == pytest.approx(3.85)
    assert lc.percentile(xs, 0) == 1.0 and lc.percentile(xs, 100) == 4.0
    assert lc.percentile([7.0], 95) == 7.0
    assert lc.percentile([], 50) is None


def test_sse_lines_fold_into_a_result():
    r = lc.StreamResult(0)
    lines = [": queue position 2", "", 'data: {"choices": [{"delta": {"role": "assistant"}}]}',
             'data: {"choices": [{"delta": {"content": "Hel"}}]}', 'data: {"choices": [{"delta": {"content": ""}}]}',
             'data: {"choices": [{"delta": {"content": "lo"}, "finish_reason": "length"}]}',
             'data: {"choices": [], "usage": {"completion_tokens": 3, "prompt_tokens": 9}}']
    for t, line in enumerate(lines):
        assert not lc.parse_sse_line(line, r, float(t))
    assert lc.parse_sse_line("data: [DONE]", r, 9.0)
    assert (r.text, r.deltas, r.usage_tokens, r.tokens, r.finish_reason, r.t_first) == ("Hello", 2, 3, 3, "length", 3.0)
    r.status = 200
    assert r.ok

    err = lc.StreamResult(1, status=200)
    assert lc.parse_sse_line('data: {"error": {"message": "boom"}}', err, 0.0)
    assert err.error == "boom" and not err.ok


def test_aggregate_counts_only_completed_requests():
    def res(i, start, first, end, tokens, status=200, usage=True):
        return lc.StreamResult(i, status=status, deltas=tokens, usage_tokens=tokens if usage else None,
                               finish_reason="length", done_marker=True, t_start=start, t_first=first, t_end=end)

    results = [res(0, 0.0, 0.1, 1.0, 64), res(1, 0.0, 0.3, 2.0, 64, usage=False), res(2, 0.5, None, 0.6, 0, status=429)]
    st = lc.aggregate(2, results)
    assert (st.requests, st.completed, st.tokens, st.wall_s, st.tok_s) == (3, 2, 128, 2.0, 64.0)
    assert st.ttft_p50_s == pytest.approx(0.2) and st.ttft_p95_s == pytest.approx(0.29)
    assert st.token_count == "mixed" and st.mean_tokens == 64.0
    assert st.errors == ["request 2: HTTP 429"]


class FakeSSE(BaseHTTPRequestHandler):
    """Streams ``max_tokens`` one-word deltas (usage last unless ``no_usage``); 400 for ``"fail": true``."""

    bodies: list[dict] = []
    honours_ignore_eos = True

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeSSE.bodies.append(body)
        if body.get("fail"):
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "bad field"}}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        n = body["max_tokens"]
        if body.get("messages", [{}])[-1].get("content") == ls.EARLY_STOP_PROMPT and not (
                FakeSSE.honours_ignore_eos and body.get("ignore_eos")):
            n = min(n, 2)  # "No." and end of sequence
        chunks = [{"choices": [{"delta": {"role": "assistant"}}]}]
        chunks += [{"choices": [{"delta": {"content": f"w{i} "}, "finish_reason": "length" if i == n - 1 else None}]}
                   for i in range(n)]
        if not body.get("no_usage"):
            chunks.append({"choices": [], "usage": {"completion_tokens": n}})
        for c in chunks:
            self.wfile.write(b": keep-alive\n\n" + f"data: {json.dumps(c)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.002)
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_server():
    FakeSSE.bodies = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), FakeSSE)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1/chat/completions"
    srv.shutdown()
    srv.server_close()


def test_level_against_a_streaming_server(fake_server):
    bodies = [{"max_tokens": 5, "i": i} for i in range(7)] + [{"max_tokens": 5, "no_usage": True}, {"fail": True}]
    st = lc.run_level(fake_server, bodies, 4)
    assert (st.requests, st.completed, st.tokens, st.token_count) == (9, 8, 40, "mixed")
    assert st.tok_s > 0 and 0 < st.ttft_p50_s <= st.ttft_p95_s
    assert st.errors == ['request 8: {"error": {"message": "bad field"}}']
    assert sorted(b.get("i", -1) for b in FakeSSE.bodies if "i" in b) == list(range(7))  # each body sent once


def test_ignore_eos_probe(fake_server, monkeypatch):
    spec = ls.ServerSpec("llama-server")
    assert ls.check_ignore_eos(fake_server, spec, 6) == (True, "honoured")
    assert "ignore_eos" not in FakeSSE.bodies[-2] and FakeSSE.bodies[-1]["ignore_eos"] is True
    assert FakeSSE.bodies[-1]["max_tokens"] == 6
    monkeypatch.setattr(FakeSSE, "honours_ignore_eos", False)
    ok, how = ls.check_ignore_eos(fake_server, spec, 6)
    assert not ok and how.startswith("ignored (the probe stopped at 2 tokens")


def test_request_bodies_force_the_mode():
    ours, cpp = ls.ServerSpec("ours", model_field="modroute"), ls.ServerSpec("llama-server")
    assert ours.body("q", 64, None).items() >= {"mode": "fast", "cascade": False, "max_tokens": 64,
                                                "temperature": 0}.items()
    m = ours.body("q", 64, (2, "math"))
    assert (m["mode"], m["modifier"], m["max_critique_rounds"], m["self_consistency"], m["use_examples"]) == \
        ("accurate", "math", 0, False, False)
    assert cpp.body("q", 64, (2, "math"))["lora"] == [{"id": 2, "scale": 1.0}]
    assert "lora" not in cpp.body("q", 64, None) and "mode" not in cpp.body("q", 64, None)
    assert lb.prompt_for(0, 3) != lb.prompt_for(1, 3)  # each level its own prompts


def test_plans_llama_server_with_adapters_or_says_how_to_build_it(tmp_path):
    model = tmp_path / "m.gguf"
    loras = [tmp_path / "a.gguf", tmp_path / "b.gguf"]
    missing = ls.plan_servers(["llama-server"], ["base", "modifiers"], model, loras, tmp_path, 2,
                              tmp_path / "nope")[0]
    assert not missing.launches and ls.BUILD_SCRIPT in missing.skipped["*"]

    binary = tmp_path / "llama-server"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    spec = ls.plan_servers(["llama-server"], ["base", "modifiers"], model, loras, tmp_path, 2, binary)[0]
    base, mods = spec.launches
    assert base.scenarios == ("base",) and "--lora" not in base.argv
    assert mods.argv.count("--lora") == 2 and mods.argv[-1] == "--lora-init-without-apply"
    assert mods.argv[mods.argv.index("--parallel") + 1] == "16" and mods.argv[mods.argv.index("-t") + 1] == "2"

    no_mods = ls.plan_servers(["llama-server"], ["modifiers"], model, [], tmp_path, 2, binary, "2 of 4 usable")[0]
    assert no_mods.skipped == {"modifiers": "2 of 4 usable"} and not no_mods.launches


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_running_waits_for_health_and_stops_the_process(tmp_path):
    port = _port()
    launch = ls.Launch([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], {}, port, "/",
                       ("base",), cwd=tmp_path)
    import httpx

    with ls.running(launch, tmp_path / "log", ready_timeout=30) as served:
        url = served.url
        assert httpx.get(url + "/").status_code == 200
        meter = lb.OutsideLoad(served.pid)
        other = meter.cores()
        assert other is None or other >= 0
    with pytest.raises(httpx.HTTPError):
        httpx.get(url + "/", timeout=1)

    dead = ls.Launch([sys.executable, "-c", "print('no model'); raise SystemExit(3)"], {}, _port(), "/", ("base",))
    with pytest.raises(RuntimeError, match="exited with status 3(.|\n)*no model"):
        with ls.running(dead, tmp_path / "log2", ready_timeout=30):
            pass


def test_report_shows_ratios_and_skips():
    def st(tok_s, p95):
        return {"clients": 1, "requests": 16, "completed": 16, "tokens": 1024, "wall_s": 1.0, "tok_s": tok_s,
                "ttft_p50_s": p95 / 2, "ttft_p95_s": p95, "mean_tokens": 64.0, "token_count": "usage", "errors": []}

    out = {"settings": {"levels": [1, 16], "requests_per_level": 16, "max_tokens": 64, "threads": 2, "model": "m",
                        "cpus": 2, "scenarios": ["base"], "modifiers": []},
           "load_avg_before": [1.0, 1.0, 1.0], "load_avg_after": [2.0, 1.0, 1.0],
           "servers": {"ours": {"skipped": {}, "runs": [], "scenarios": {"base": {"1": st(120, 0.2), "16": st(300, 1.0)}}},
                       "llama_cpp.server": {"skipped": {"*": "needs extras"}, "runs": [], "scenarios": {}},
                       "llama-server": {"skipped": {}, "runs": [],
                                        "scenarios": {"base": {"1": st(150, 0.1), "16": st(250, 2.0)}}}}}
    out["ratios"] = lb.ratios(out)
    assert out["ratios"]["ours/llama-server"]["base"]["16"] == {"tok_s": 1.2, "ttft_p95": 0.5}
    assert "ours/llama_cpp.server" not in out["ratios"]
    table = lb.format_table(out)
    assert "llama_cpp.server: skipped: needs extras" in table
    row16 = next(line for line in table.splitlines() if line.strip().startswith("16 |"))
    assert "300.0" in row16 and "250.0" in row16 and "1.20" in row16 and "0.50" in row16


def test_rounds_combine_to_medians():
    def st(tok_s, p95, errors=()):
        return {"clients": 4, "requests": 16, "completed": 16 - len(errors), "tokens": 1000, "wall_s": 5.0,
                "tok_s": tok_s, "ttft_p50_s": p95 / 2, "ttft_p95_s": p95, "mean_tokens": 62.5, "token_count": "usage",
                "errors": list(errors)}

    assert lc.combine_rounds([st(100, 1.0)]) == st(100, 1.0)
    c = lc.combine_rounds([st(100, 1.0), st(300, 3.0), st(120, 9.0, ["request 3: HTTP 500"])])
    assert (c["tok_s"], c["ttft_p95_s"], c["ttft_p50_s"]) == (120, 3.0, 1.5)
    assert (c["requests"], c["completed"], c["tokens"], c["errors"]) == (48, 47, 3000, ["request 3: HTTP 500"])
    assert [x["tok_s"] for x in c["rounds"]] == [100, 300, 120]


def test_wait_until_quiet_gives_up_after_its_bound():
    said = []
    assert lb.wait_until_quiet(None, 5.0, said.append, threshold_cores=99, window_s=0.05) == pytest.approx(0, abs=0.05)
    assert not said
    waited = lb.wait_until_quiet(None, 0.2, said.append, threshold_cores=-1, window_s=0.05)
    assert 0.2 <= waited < 2 and "measuring anyway" in said[0]
