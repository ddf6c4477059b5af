#!/usr/bin/env bash
# The two packages `python -m llama_cpp.server` needs beyond requirements.txt (llama-cpp-python's [server]
# extra), pinned, installed into .cache/llama-cpp-server-extras — NOT into the project's venv: they are only
# for the load benchmark (`python -m runtime loadbench`), which puts this directory on the PYTHONPATH of the
# llama_cpp.server process alone. Everything else that extra names (fastapi, uvicorn, pydantic-settings,
# PyYAML) is already pinned in requirements.txt.
#
#   scripts/llama_cpp_server_extras.sh        (idempotent)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo/.cache/llama-cpp-server-extras"
python="$repo/.venv/bin/python"
[ -x "$python" ] || { echo "no $python: install the project first (see README)" >&2; exit 1; }

# sse-starlette 3.5.0 needs starlette>=0.49.1 and anyio>=4.7 (requirements.txt's fastapi brings newer);
# llama-cpp-python 0.3.36 asks for starlette-context>=0.3.6,<0.4.
pins=(sse-starlette==3.5.0 starlette-context==0.3.6)

if PYTHONPATH="$dest" "$python" -c "import llama_cpp.server.app" 2>/dev/null; then
    echo "llama_cpp.server imports with $dest"
    exit 0
fi
rm -rf "$dest"
"$python" -m pip install --quiet --no-deps --target "$dest" "${pins[@]}"
PYTHONPATH="$dest" "$python" -c "import llama_cpp.server.app"
echo "llama_cpp.server imports with $dest (${pins[*]})"
