"""Running llama.cpp's ``convert_hf_to_gguf.py`` from the pinned llama-cpp-python sdist, also on a
vocabulary-trimmed model.

The converter names the BPE pre-tokenizer (the regex split before BPE) by hashing the token *ids* of
a fixed text; a trimmed vocabulary renumbers ids, so the hash is unknown and the converter refuses
("BPE pre-tokenizer was not recognized") although the pre-tokenizer is unchanged. A trimmed model
directory (``vocab_trim.json``, written by the ``vocab`` phase) carries its original tokenizer; this
wrapper lets llama.cpp's own detection run on that original and pins the answer for the trimmed one.

    python -m pipeline.gguf_convert MODEL_DIR --outfile OUT.gguf --outtype f16

Where the converter comes from: ``MODROUTE_LLAMA_CPP_DIR``, else the unpacked sdist
``scripts/build_llama_server.sh`` leaves under ``.cache/llama-server/src``, else the members it needs
extracted from the sdist (``.cache/llama-server/sdist``, or ``pip download``-ed there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRIM_INFO = "vocab_trim.json"
ORIGINAL_TOKENIZER = "original_tokenizer"
NEEDED = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/")


def _version() -> str:
    from importlib.metadata import version

    return version("llama-cpp-python")


def _cache() -> Path:
    return Path(os.environ.get("MODROUTE_LLAMA_SERVER_DIR", REPO / ".cache" / "llama-server"))


def _extract(sdist: Path, dest: Path) -> None:
    prefix = f"{sdist.name[:-len('.tar.gz')]}/vendor/llama.cpp/"
    tmp = dest.with_name(dest.name + ".tmp")
    with tarfile.open(sdist, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix)
                   and any(m.name[len(prefix):].startswith(n) for n in NEEDED) and (m.isfile() or m.isdir())]
        for m in members:
            m.name = m.name[len(prefix):]
        tar.extractall(tmp, members=members, filter="data")
    os.replace(tmp, dest)


def llama_cpp_dir() -> Path:
    """A directory holding ``convert_hf_to_gguf.py`` with its ``conversion/`` and ``gguf-py/``."""
    env = os.environ.get("MODROUTE_LLAMA_CPP_DIR")
    if env:
        p = Path(env)
        if not (p / "convert_hf_to_gguf.py").is_file():
            raise FileNotFoundError(f"MODROUTE_LLAMA_CPP_DIR={p} has no convert_hf_to_gguf.py")
        return p
    ver = _version()
    cache = _cache()
    unpacked = cache / "src" / f"llama_cpp_python-{ver}" / "vendor" / "llama.cpp"
    if (unpacked / "convert_hf_to_gguf.py").is_file() and (unpacked / "conversion").is_dir():
        return unpacked
    extracted = cache / f"convert-{ver}"
    if (extracted / "convert_hf_to_gguf.py").is_file():
        return extracted
    sdist = cache / "sdist" / f"llama_cpp_python-{ver}.tar.gz"
    if not sdist.is_file():
        sdist.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", f"llama-cpp-python=={ver}", "--no-deps",
                        "--no-binary", ":all:", "-d", str(sdist.parent)], check=True)
    _extract(sdist, extracted)
    return extracted


def convert(model_dir: Path, outfile: Path, outtype: str = "f16", timeout: float = 1800) -> Path:
    """``model_dir`` (a HF directory, trimmed or not) -> ``outfile`` GGUF, in a child process."""
    llama = llama_cpp_dir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(llama), str(llama / "gguf-py"),
                                                        os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "pipeline.gguf_convert", str(model_dir), "--outfile", str(outfile),
           "--outtype", outtype]
    proc = subprocess.run(cmd, env=env, cwd=str(REPO), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not Path(outfile).is_file():
        raise RuntimeError(f"convert_hf_to_gguf failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return Path(outfile)


def _pin_pretokenizer(model_dir: Path) -> None:
    """For a trimmed model: the original tokenizer's pre-tokenizer name, as llama.cpp detects it."""
    if not (model_dir / TRIM_INFO).is_file():
        return
    info = json.loads((model_dir / TRIM_INFO).read_text(encoding="utf-8"))
    from conversion.base import TextModel
    from transformers import AutoTokenizer

    original = AutoTokenizer.from_pretrained(str(model_dir / info.get("original_tokenizer", ORIGINAL_TOKENIZER)))
    name = TextModel.get_vocab_base_pre(None, original)  # reads only the tokenizer it is given
    TextModel.get_vocab_base_pre = lambda self, tokenizer: name


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    llama = llama_cpp_dir()
    for p in (str(llama / "gguf-py"), str(llama)):
        if p not in sys.path:
            sys.path.insert(0, p)
    if not argv or argv[0].startswith("-"):
        raise SystemExit("usage: python -m pipeline.gguf_convert MODEL_DIR [convert_hf_to_gguf.py options]")
    model_dir = Path(argv[0])
    _pin_pretokenizer(model_dir)
    import runpy

    sys.argv = [str(llama / "convert_hf_to_gguf.py"), *argv]
    runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
