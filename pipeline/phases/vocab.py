"""``vocab``: trim the base's vocabulary to what this project's text uses, or keep the original.

Corpus: the repository's tracked ``data/`` files and ``*.py`` / ``*.md`` files, the domains'
training files and, when the ``curate`` phase finished in this work dir, its splits (JSONL records
contribute their text fields, long files are cut into chunks of ``max_doc_chars``). A seeded
``heldout_share`` of the documents is never counted: it is the validation sample.

Token frequencies over the counted part (the model's own tokenizer) give the cumulative coverage
curve; the keep-set is the most frequent tokens up to ``coverage`` of all occurrences, plus every
special/added token, the 256 byte-level symbols (so no input is untokenizable), the tokens of every
printable ASCII character, common Unicode punctuation, math symbols, programming keywords and
operators (each alone and after a space), and of the chat template rendered on a sample
conversation -- closed under BPE's merges (``pipeline.vocabtrim``). The trimmed model
(``pipeline.vocabmodel``): embedding (and, untied, output) rows remapped, ``vocab_size`` and token ids
renumbered, the BPE vocabulary and merges restricted; it converts with
``python -m pipeline.gguf_convert`` (llama.cpp's converter with the original pre-tokenizer pinned).

Validation on the held-out documents plus probe strings (random code points of many scripts):
ASCII round trips byte-exact, Unicode at least ``min_unicode_exact``, no unknown tokens -- else the
phase fails (a tokenizer that loses text must never ship); tokens per word within ``max_tpw_rise``
and perplexity (per original token, ``pipeline.vocabmodel.compare_perplexity``) within
``max_ppl_rise`` of the original -- else it rolls back: ``model/``
is the original model, unchanged, and metrics say ``rolled_back`` and why.

Measured on the embedded SmolLM2-135M (dequantized by ``base``, fp32), Dec 2026, 2 shared cores, 63 s
wall / 31 s CPU: 232 files, 1.08 M tokens counted, 15,903 distinct; 99.5% coverage needs 11,821 tokens,
the keep-set is 14,127 (2,068 of them added by the merge closure), merges 48,900 -> 13,875; 35,025
rows x 576 x 4 bytes = 80.7 MB less (tied: one matrix; 40.3 MB at f16), model.safetensors 538.1 ->
457.4 MB; the f16 GGUF of the trimmed model is 229.2 MB, answers "The capital of France is Paris.",
and llama.cpp tokenizes like the trimmed HF tokenizer. Held-out: 600/600 documents and 305 probes
round-trip exactly, tokens per word 2.199 -> 2.222 (+1.1%); perplexity per original token 17.17 ->
17.54 (+2.2%; per word +5.4%, per byte +0.7%) on 24 texts (4,037 tokens), so the trimmed model is
kept. On that sample the figure moves by ~0.7 points with small corpus changes: near the 3% line.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import DONE, PhaseContext, PhaseError, execute, write_json

SUMMARY = "trim the vocabulary to 99.5% coverage (+ ASCII, symbols, code, chat template); validated; rollback"
REQUIRES: tuple[str, ...] = ("base",)
CODE = ["pipeline.vocabtrim", "pipeline.vocabmodel", "pipeline.gguf_convert", "pipeline.basemodel"]
REPO = Path(__file__).resolve().parents[2]
TEXT_KEYS = ("instruction", "response", "prompt", "completion", "text", "content", "input", "output",
             "question", "answer", "solution", "canonical_solution", "system")


@dataclass
class Config(PhaseConfig):
    source: str = "base"  # the upstream phase whose model/ is trimmed (base | finetune_base)
    model_dir: str = ""  # a HF model directory instead of an upstream phase's
    corpus: list[str] = field(default_factory=lambda: ["data/**", "*.py", "*.md"])  # git pathspecs
    corpus_root: str = ""  # empty = this repository
    training_data: bool = True  # the domains' train files and the curate phase's splits
    coverage: float = 0.995
    heldout_share: float = 0.1
    max_doc_chars: int = 4000
    validation_docs: int = 600  # held-out documents checked for round trips and tokens per word
    probes: int = 300  # random multi-script strings checked too
    min_unicode_exact: float = 0.999
    max_tpw_rise: float = 0.05
    perplexity: bool = True
    ppl_texts: int = 24
    ppl_chars: int = 1000
    max_ppl_rise: float = 0.03


# -- corpus -----------------------------------------------------------------------------------------
def corpus_files(cfg: Config) -> list[Path]:
    root = Path(cfg.corpus_root or REPO)
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", *cfg.corpus], check=True,
                             capture_output=True).stdout.decode().split("\0")
        files = [root / p for p in out if p]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "var", "node_modules", "__pycache__", ".cache"}
        found = (root.joinpath(pat[:-3]).rglob("*") if pat.endswith("/**") else root.rglob(pat)
                 for pat in cfg.corpus)
        files = sorted(p for ps in found for p in ps
                       if p.is_file() and not skip & set(p.relative_to(root).parts))
    if cfg.training_data:
        for spec in cfg.domain_specs().values():
            if spec.train:
                p = Path(spec.train)
                files.append(p if p.is_absolute() else root / p)
        curate = Path(cfg.workdir) / "curate"
        if (curate / DONE).is_file():
            files.extend(sorted(curate.glob("*/*.jsonl")))
    seen: set[Path] = set()
    return [p for p in files if p.is_file() and not (p.resolve() in seen or seen.add(p.resolve()))]


def _texts_of(obj, out: list[str]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str) and k in TEXT_KEYS:
                out.append(v)
            elif isinstance(v, dict | list):
                _texts_of(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _texts_of(v, out)


def _chunks(text: str, size: int) -> list[str]:
    out, cur, n = [], [], 0
    for line in text.splitlines(keepends=True):
        if n + len(line) > size and cur:
            out.append("".join(cur))
            cur, n = [], 0
        cur.append(line)
        n += len(line)
    if cur:
        out.append("".join(cur))
    return out


def documents(files: list[Path], max_chars: int) -> list[tuple[str, str]]:
    """(document key, text) pairs; the key (file + position) decides the held-out split."""
    docs = []
    for p in files:
        try:
            raw = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if p.suffix == ".jsonl":
            for n, line in enumerate(raw.splitlines()):
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                texts: list[str] = []
                _texts_of(rec, texts)
                docs.extend((f"{p.name}:{n}:{i}", c) for i, t in enumerate(texts) for c in _chunks(t, max_chars))
        else:
            docs.extend((f"{p.name}:{i}", c) for i, c in enumerate(_chunks(raw, max_chars)))
    return [(k, t) for k, t in docs if t.strip()]


def split_heldout(docs: list[tuple[str, str]], share: float, seed: int) -> tuple[list[str], list[str]]:
    fit, held = [], []
    for key, text in docs:
        h = int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big") / 2**64
        (held if h < share else fit).append(text)
    return fit, held


# -- the phase --------------------------------------------------------------------------------------
def _source_dir(ctx: PhaseContext) -> Path:
    cfg: Config = ctx.config
    if cfg.model_dir:
        return Path(cfg.model_dir)
    from pipeline.basemodel import read_base

    return read_base(ctx.upstream(cfg.source), cfg.source).model_dir


def _body(ctx: PhaseContext) -> dict:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from pipeline.cpu import prepare_torch_env

    prepare_torch_env()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline import vocabmodel, vocabtrim
    from pipeline.gguf_convert import ORIGINAL_TOKENIZER, TRIM_INFO

    cfg: Config = ctx.config
    torch.set_num_threads(cfg.resolved_threads())
    src = _source_dir(ctx)
    tok = AutoTokenizer.from_pretrained(str(src))
    bpe = vocabtrim.BPE.load(src / "tokenizer.json")
    n_vocab = int(json.loads((src / "config.json").read_text())["vocab_size"])

    files = corpus_files(cfg)
    fit, held = split_heldout(documents(files, cfg.max_doc_chars), cfg.heldout_share, cfg.seed)
    ctx.log.info("vocab: %d files, %d documents counted, %d held out", len(files), len(fit), len(held))
    counts = vocabtrim.count_tokens(tok, ctx.progress(fit, "counting", len(fit)), n_vocab)
    curve = vocabtrim.coverage_curve(counts)
    keep, keep_info = vocabtrim.build_keep_set(tok, bpe, counts, cfg.coverage)
    order = curve.pop("order")
    cum = curve.pop("cumulative")
    write_json(ctx.out / "coverage.json", {**curve, "top": [[i, counts[i]] for i in order[:200]]})
    write_json(ctx.out / "keep_ids.json", keep)  # new id -> original id
    kept_share = sum(counts[i] for i in keep) / max(curve["total"], 1)
    ctx.log.info("vocab: keep %d of %d tokens (%s); they cover %.4f of the counted tokens", len(keep), n_vocab,
                 keep_info["groups"], kept_share)

    trimmed_dir = ctx.out / "trimmed"
    shutil.rmtree(trimmed_dir, ignore_errors=True)
    data, merge_info = vocabtrim.trimmed_tokenizer_json(bpe, keep)
    old_to_new = {old: new for new, old in enumerate(keep)}
    remap = vocabmodel.remap_model(src, trimmed_dir, keep)
    vocabtrim.write_tokenizer(src, trimmed_dir, data, old_to_new)
    orig_tok_dir = trimmed_dir / ORIGINAL_TOKENIZER
    orig_tok_dir.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja"):
        if (src / name).is_file():
            shutil.copy2(src / name, orig_tok_dir / name)
    write_json(trimmed_dir / TRIM_INFO, {"original_tokenizer": ORIGINAL_TOKENIZER, "vocab_before": n_vocab,
                                         "vocab_after": len(keep), "keep_ids": "../keep_ids.json"})
    ttok = AutoTokenizer.from_pretrained(str(trimmed_dir))

    unk = bpe.data["model"].get("unk_token")
    unk_id = ttok.convert_tokens_to_ids(unk) if unk else None
    sample = held[: cfg.validation_docs]
    val = vocabtrim.validate(tok, ttok, sample, unk_id)
    probes = vocabtrim.validate(tok, ttok, vocabtrim.probe_strings(cfg.seed, cfg.probes), unk_id)
    ascii_ok = val["ascii_exact"] == val["ascii"] and probes["ascii_exact"] == probes["ascii"]
    uni = (val["unicode_exact"] + probes["unicode_exact"]) / max(val["unicode"] + probes["unicode"], 1)
    if not ascii_ok or uni < cfg.min_unicode_exact or val["unk_tokens"] or probes["unk_tokens"]:
        raise PhaseError(f"vocab: the trimmed tokenizer loses text (ASCII exact {val['ascii_exact']}/{val['ascii']}"
                         f" + probes {probes['ascii_exact']}/{probes['ascii']}, Unicode exact {uni:.4f}, unknown "
                         f"tokens {val['unk_tokens'] + probes['unk_tokens']}; e.g. {val['failures'] + probes['failures']})")

    reasons = []
    if val["tokens_per_word_change"] > cfg.max_tpw_rise:
        reasons.append(f"tokens per word +{val['tokens_per_word_change']:.2%} > {cfg.max_tpw_rise:.0%}")
    ppl = {}
    if cfg.perplexity:
        texts = [t[: cfg.ppl_chars] for t in held if len(t.split()) >= 20][: cfg.ppl_texts]
        start = tok.convert_tokens_to_ids(unk or tok.eos_token)
        scored = {}
        for name, mdir, t in (("original", src, tok), ("trimmed", trimmed_dir, ttok)):
            model = AutoModelForCausalLM.from_pretrained(str(mdir), dtype=torch.float32)
            sid = start if name == "original" else old_to_new[start]
            scored[name] = vocabmodel.text_nll(model, t, texts, sid, progress=ctx.progress)
            del model
        ppl = vocabmodel.compare_perplexity(scored["original"], scored["trimmed"])
        ctx.log.info("vocab: perplexity per original token %.3f -> %.3f (%+.2f%%; per word %+.2f%%, per byte %+.2f%%)",
                     ppl["ppl_per_original_token"]["original"], ppl["ppl_per_original_token"]["trimmed"],
                     100 * ppl["rise"], 100 * ppl["ppl_per_word"]["rise"], 100 * ppl["ppl_per_byte"]["rise"])
        if vocabmodel.should_roll_back(ppl["ppl_per_original_token"]["original"],
                                       ppl["ppl_per_original_token"]["trimmed"], cfg.max_ppl_rise):
            reasons.append(f"perplexity +{ppl['rise']:.2%} > {cfg.max_ppl_rise:.0%} (per original token)")

    rolled_back = bool(reasons)
    model_out = ctx.out / "model"
    shutil.rmtree(model_out, ignore_errors=True)
    if rolled_back:
        ctx.log.warning("vocab: rolled back, the original model is kept: %s", "; ".join(reasons))
        shutil.copytree(src, model_out)
        shutil.rmtree(trimmed_dir)
    else:
        os.replace(trimmed_dir, model_out)
    write_json(ctx.out / "vocab.json", {"model_dir": "model", "trimmed": not rolled_back, "rolled_back": rolled_back,
                                        "reasons": reasons, "source": str(src), "vocab_size": len(keep)
                                        if not rolled_back else n_vocab, "keep_ids": "keep_ids.json"})
    weights = sorted(p.name for p in model_out.glob("*.safetensors"))
    ctx.add_artifact("base-vocab-trimmed" if not rolled_back else "base", "base", f"model/{weights[0]}",
                     trimmed=not rolled_back, vocab_size=len(keep) if not rolled_back else n_vocab)

    mat = next(iter(remap["matrices"].values()))
    return {
        "rolled_back": rolled_back, "kept": "original" if rolled_back else "trimmed", "reasons": reasons,
        "corpus": {"files": len(files), "documents": len(fit), "heldout": len(held), "tokens": curve["total"],
                   "distinct_tokens": curve["seen"]},
        "coverage_curve": curve["curve"], "tokens_for_coverage": curve["tokens_for"],
        "keep_set": {**keep_info, "covers": round(kept_share, 6), "coverage_at_frequent":
                     round(cum[keep_info["frequent"] - 1], 6) if keep_info["frequent"] else 0.0},
        "vocab_before": n_vocab, "vocab_after": len(keep), "merges": merge_info,
        "bytes_saved": {"embedding_rows": n_vocab - len(keep), "hidden": mat["hidden"],
                        "dtype_bytes": mat["dtype_bytes"], "matrices": len(remap["matrices"]), "tied": remap["tied"],
                        "embedding_bytes": remap["embedding_bytes_saved"],
                        "embedding_bytes_at_f16": remap["embedding_bytes_saved"] // mat["dtype_bytes"] * 2,
                        "file_bytes_before": remap["safetensors_bytes_before"],
                        "file_bytes_after": remap["safetensors_bytes_after"],
                        "file_bytes": remap["safetensors_bytes_before"] - remap["safetensors_bytes_after"]},
        "validation": {k: v for k, v in val.items() if k != "failures"},
        "probes": {k: probes[k] for k in ("texts", "ascii_exact", "ascii", "unicode_exact", "unicode", "unk_tokens")},
        "perplexity": ppl,
    }


def _inputs(config: Config) -> list[Path]:
    files = corpus_files(config)
    return files + ([Path(config.model_dir)] if config.model_dir else [])


def main(config: Config):
    requires = () if config.model_dir else (config.source,)
    return execute("vocab", config, _body, requires=requires, inputs=_inputs(config), code=CODE)
