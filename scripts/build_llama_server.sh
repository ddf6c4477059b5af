#!/usr/bin/env bash
# Build llama.cpp's C++ `llama-server` from the vendored source of the llama-cpp-python sdist pinned in
# requirements.txt, so the load benchmark (`python -m runtime loadbench`) compares our server with the
# same llama.cpp our engine links against.
#
#   scripts/build_llama_server.sh [--force] [--jobs N]
#
# Output: .cache/llama-server/bin/llama-server (override the directory with MODROUTE_LLAMA_SERVER_DIR).
# Idempotent: when that binary exists and was built from the pinned version, nothing is done.
# ~8 min on 2 cores (466 s measured, Dec 2026). Needs cmake, a C++ compiler and pip (PyPI) for the sdist; nothing else is downloaded:
# the web UI is not embedded (no prebuilt-asset download, no npm), HTTPS (OpenSSL) is off.
set -euo pipefail

force=0
jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --force) force=1 ;;
        --jobs)
            shift
            [[ "${1:-}" =~ ^[0-9]+$ ]] || { echo "--jobs needs a number" >&2; exit 2; }
            jobs="$1" ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${MODROUTE_LLAMA_SERVER_DIR:-$repo/.cache/llama-server}"
version="$(sed -n 's/^llama-cpp-python==\([0-9][0-9.]*\).*/\1/p' "$repo/requirements.txt")"
if [ -z "$version" ]; then
    echo "no 'llama-cpp-python==X.Y.Z' pin found in $repo/requirements.txt" >&2
    exit 1
fi
bin="$cache/bin/llama-server"
stamp="$cache/bin/VERSION"

if [ "$force" = 0 ] && [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    echo "llama-server from llama-cpp-python $version already built: $bin"
    exit 0
fi

for tool in cmake c++; do
    command -v "$tool" >/dev/null || { echo "$tool is needed to build llama-server" >&2; exit 1; }
done

python="$repo/.venv/bin/python"
[ -x "$python" ] || python="$(command -v python3)"

sdist_dir="$cache/sdist"
sdist="$sdist_dir/llama_cpp_python-$version.tar.gz"
mkdir -p "$sdist_dir"
if [ ! -f "$sdist" ]; then
    echo "downloading the llama-cpp-python $version sdist into $sdist_dir"
    "$python" -m pip download "llama-cpp-python==$version" --no-deps --no-binary :all: -d "$sdist_dir"
fi
[ -f "$sdist" ] || { echo "expected $sdist after pip download" >&2; exit 1; }

src="$cache/src"
rm -rf "$src"
mkdir -p "$src"
tar -xzf "$sdist" -C "$src"
llama_src="$src/llama_cpp_python-$version/vendor/llama.cpp"
[ -f "$llama_src/tools/server/CMakeLists.txt" ] || { echo "no tools/server in $llama_src" >&2; exit 1; }

build="$cache/build"
rm -rf "$build"
start=$SECONDS
# LLAMA_BUILD_SERVER / LLAMA_BUILD_TOOLS / LLAMA_BUILD_COMMON default to ON when llama.cpp is the top-level
# project; set explicitly so a changed default shows up as an error rather than a missing target.
# Static libraries: one self-contained binary that can be copied out of the build tree.
cmake -S "$llama_src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
cmake --build "$build" --target llama-server -j "$jobs"

mkdir -p "$cache/bin"
cp "$build/bin/llama-server" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$version" > "$stamp"
rm -rf "$build" "$src"  # ~1 GB of objects and sources; the sdist stays for a rebuild
echo "built $bin (llama-cpp-python $version) in $((SECONDS - start)) s"
"$bin" --version 2>&1 | head -n 2 || true
