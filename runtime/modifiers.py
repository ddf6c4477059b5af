"""LoRA modifiers: GGUF adapters loaded once, activated per request.

Two layouts are served: independent modifiers (one adapter each) and heads on a shared backbone (a
manifest entry of kind ``backbone`` plus modifier entries naming it in ``backbone``); a head is
active together with its backbone, each at its own scale.

A modifier is refused (and marked unavailable, with a reason) when its file is
missing, corrupt, truncated, fails its checksum, or was trained for another
base; everything else keeps serving. ``reload()`` picks up a changed manifest
without restarting the process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.artifacts import ArtifactEntry, ArtifactError, materialize, read_manifest

log = logging.getLogger("modroute.modifiers")


@dataclass
class Modifier:
    name: str
    domain: str
    status: str  # "ready" | "unavailable"
    reason: str = ""
    path: Path | None = None
    sha256: str = ""
    size: int = 0
    scale: float = 1.0
    version: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    handle: Any = None  # llama_adapter_lora pointer (owned by the registry)
    batchable: bool = False  # served as Q8_0: its streams may share a decode call (runtime.lora_serving)
    backbone: Modifier | None = None  # the shared backbone this head is applied with (kind "backbone")

    @property
    def available(self) -> bool:
        # Without an attached model (e.g. `route` CLI) "ready" means verified on disk.
        return self.status == "ready" and (self.backbone is None or self.backbone.status == "ready")

    def adapters(self, scale: float) -> list[tuple[Any, float]]:
        """(handle, scale) of every adapter this modifier applies: its backbone's, then its own."""
        out = [(self.backbone.handle, self.backbone.scale)] if self.backbone is not None else []
        return out + [(self.handle, scale)]

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "domain": self.domain,
            "status": self.status,
            "reason": self.reason,
            "sha256": self.sha256,
            "size": self.size,
            "scale": self.scale,
            "version": self.version,
            "metrics": self.metrics,
            **({"backbone": self.backbone.name} if self.backbone is not None else {}),
        }


class BaseShapes:
    """Tensor shapes and architecture of the base GGUF, to fail fast on adapters that do not fit."""

    def __init__(self, base_path: Path):
        from gguf import GGUFReader

        reader = GGUFReader(str(base_path))
        self.arch = _gguf_str(reader, "general.architecture")
        self.shapes = {t.name: tuple(int(x) for x in t.shape) for t in reader.tensors}


def _gguf_str(reader, key: str) -> str:
    f = reader.fields.get(key)
    if f is None:
        return ""
    try:
        return f.contents()
    except Exception:  # older gguf without contents()
        return bytes(f.parts[f.data[0]]).decode("utf-8", "replace")


def check_adapter_fits(path: Path, base: BaseShapes) -> None:
    """Raise ArtifactError unless ``path`` is a LoRA GGUF adapter for ``base``.

    llama.cpp does its own checks too, but a structurally broken file is
    better refused here, before native code parses it.
    """
    from gguf import GGUFReader

    try:
        reader = GGUFReader(str(path))
    except Exception as e:  # truncated / not a GGUF at all
        raise ArtifactError(f"not a readable GGUF file ({type(e).__name__}: {e})") from e
    gtype = _gguf_str(reader, "general.type")
    if gtype != "adapter" or _gguf_str(reader, "adapter.type") != "lora":
        raise ArtifactError(f"not a LoRA adapter (general.type={gtype!r})")
    arch = _gguf_str(reader, "general.architecture")
    if base.arch and arch != base.arch:
        raise ArtifactError(f"adapter architecture {arch!r} does not match base {base.arch!r}")
    pairs: dict[str, dict[str, tuple[int, ...]]] = {}
    for t in reader.tensors:
        stem, _, part = t.name.rpartition(".")
        if part not in ("lora_a", "lora_b"):
            raise ArtifactError(f"unexpected tensor {t.name!r} in adapter")
        pairs.setdefault(stem, {})[part] = tuple(int(x) for x in t.shape)
    if not pairs:
        raise ArtifactError("adapter has no LoRA tensors")
    for stem, ab in pairs.items():
        if set(ab) != {"lora_a", "lora_b"}:
            raise ArtifactError(f"{stem}: lora_a/lora_b pair incomplete")
        if stem not in base.shapes:
            raise ArtifactError(f"{stem}: no such tensor in the base (trained for another base?)")
        w = base.shapes[stem]  # GGUF order: (n_in, n_out)
        a, b = ab["lora_a"], ab["lora_b"]  # (n_in, r), (r, n_out)
        if len(w) < 2 or a[0] != w[0] or b[1] != w[1] or a[1] != b[0]:
            raise ArtifactError(
                f"{stem}: shapes a={a} b={b} do not fit base weight {w} (trained for another base?)"
            )


class ModifierRegistry:
    """Named LoRA modifiers for one base model.

    The registry owns the adapter handles. It is attached to a llama.cpp model
    by the engine, which also serialises ``reload()`` against generation.
    """

    def __init__(self, manifest_path: str | Path | None, cache_dir: Path, base_path: Path, base_sha256: str,
                 serve_type: str = "q8_0"):
        self.manifest_path = Path(manifest_path) if manifest_path else None
        self.serve_type = serve_type
        self.cache_dir = Path(cache_dir)
        self.base_path = Path(base_path)
        self.base_sha256 = base_sha256
        self._base_shapes: BaseShapes | None = None
        self._model = None  # llama_model pointer
        self._lock = threading.RLock()
        self._modifiers: dict[str, Modifier] = {}
        self._backbones: dict[str, Modifier] = {}  # shared adapters that heads stack on (not choosable alone)
        self._extra: list[tuple[ArtifactEntry, Path]] = []  # registered programmatically (bench, tests)

    # -- lifecycle -----------------------------------------------------------------------------
    def attach(self, model_ptr) -> None:
        self._model = model_ptr
        self.reload()

    def close(self) -> None:
        with self._lock:
            for m in [*self._modifiers.values(), *self._backbones.values()]:
                self._free(m)
            self._modifiers.clear()
            self._backbones.clear()

    # -- queries -------------------------------------------------------------------------------
    def __contains__(self, name: str) -> bool:
        return name in self._modifiers

    def get(self, name: str) -> Modifier | None:
        return self._modifiers.get(name)

    def names(self, available_only: bool = True) -> list[str]:
        return sorted(n for n, m in self._modifiers.items() if m.available or not available_only)

    def for_domain(self, domain: str) -> Modifier | None:
        for m in self._modifiers.values():
            if m.domain == domain and m.available:
                return m
        return None

    def describe(self) -> list[dict[str, Any]]:
        return [self._modifiers[n].describe() for n in sorted(self._modifiers)]

    # -- loading -------------------------------------------------------------------------------
    def add(self, entry: ArtifactEntry, root: Path) -> Modifier:
        """Register one modifier outside the manifest (bench, tests); survives reload()."""
        with self._lock:
            self._extra.append((entry, Path(root)))
            return self._load_entry(entry, Path(root))

    def reload(self) -> dict[str, Modifier]:
        """(Re)read the manifest. Unchanged modifiers keep their handles; changed ones are reloaded."""
        with self._lock:
            entries: list[tuple[ArtifactEntry, Path]] = []
            backbones: list[tuple[ArtifactEntry, Path]] = []
            if self.manifest_path is not None:
                try:
                    manifest = read_manifest(self.manifest_path)
                    entries = [(e, manifest.root) for e in manifest.of_kind("modifier")]
                    backbones = [(e, manifest.root) for e in manifest.of_kind("backbone")]
                except ArtifactError as e:
                    log.error("modifiers: %s; keeping the modifiers already loaded", e)
                    return dict(self._modifiers)
            entries += [(e, r) for e, r in self._extra if e.kind != "backbone"]
            backbones += [(e, r) for e, r in self._extra if e.kind == "backbone"]
            for name in [n for n in self._backbones if n not in {e.name for e, _ in backbones}]:
                self._free(self._backbones.pop(name))
            for entry, root in backbones:
                self._backbones[entry.name] = self._load_adapter(entry, root, self._backbones.get(entry.name))
            wanted = {e.name for e, _ in entries}
            for name in list(self._modifiers):
                if name not in wanted:
                    self._free(self._modifiers.pop(name))
                    log.info("modifier %s: removed from manifest", name)
            for entry, root in entries:
                self._load_entry(entry, root)
            return dict(self._modifiers)

    def verify(self, entry: ArtifactEntry, root: Path) -> Path:
        """The checks a modifier passes before it loads (base fingerprint, size, SHA-256, zstd content, LoRA
        shapes against the base), without touching what serves. Returns the verified local file; raises
        ArtifactError. Lets a caller (the Hub sync) refuse a new version while the old one keeps serving."""
        if entry.base_sha256 and self.base_sha256 and entry.base_sha256 != self.base_sha256:
            raise ArtifactError(
                f"trained for another base (base sha256 {entry.base_sha256[:12]}…, "
                f"serving {self.base_sha256[:12]}…)"
            )
        path = materialize(entry, root, self.cache_dir / "modifiers")
        with self._lock:
            if self._base_shapes is None:
                self._base_shapes = BaseShapes(self.base_path)
        check_adapter_fits(path, self._base_shapes)
        return path

    def _load_entry(self, entry: ArtifactEntry, root: Path) -> Modifier:
        if entry.kind == "backbone":
            mod = self._backbones[entry.name] = self._load_adapter(entry, root, self._backbones.get(entry.name))
            return mod
        mod = self._load_adapter(entry, root, self._modifiers.get(entry.name))
        mod.backbone = None
        if entry.backbone:
            bb = self._backbones.get(entry.backbone)
            if bb is None or bb.status != "ready":
                mod.status = "unavailable"
                mod.reason = (f"its backbone {entry.backbone!r} is "
                              f"{'not in the manifest' if bb is None else 'unavailable: ' + bb.reason}")
                log.error("modifier %s refused: %s", entry.name, mod.reason)
            else:
                mod.backbone = bb
                mod.batchable = mod.batchable and bb.batchable
        self._modifiers[entry.name] = mod
        return mod

    def _load_adapter(self, entry: ArtifactEntry, root: Path, old: Modifier | None) -> Modifier:
        scale = float(entry.scale) if entry.scale else 1.0
        if old is not None and old.status == "ready" and old.sha256 == entry.sha256:
            old.scale, old.domain, old.metrics, old.version = scale, entry.domain, entry.metrics, entry.version
            return old
        if old is not None:
            self._free(old)
        mod = Modifier(
            name=entry.name,
            domain=entry.domain or entry.name,
            status="unavailable",
            sha256=entry.sha256,
            size=entry.size or 0,
            scale=scale,
            version=entry.version,
            metrics=entry.metrics,
        )
        try:
            path = self.verify(entry, root)
            mod.path = path
            mod.size = mod.size or path.stat().st_size
            if self._model is not None:
                import llama_cpp

                from runtime.lora_serving import serving_copy

                load, mod.batchable = serving_copy(path, self.cache_dir / "modifiers-served", self.serve_type)
                handle = llama_cpp.llama_adapter_lora_init(self._model, str(load).encode())
                if not handle:
                    raise ArtifactError("llama.cpp refused the adapter (see its log)")
                mod.handle = handle
            mod.status = "ready"
            log.info("modifier %s: ready (%s, %d bytes)", entry.name, path.name, mod.size)
        except ArtifactError as e:
            mod.reason = str(e)
            log.error("modifier %s refused: %s", entry.name, e)
        except OSError as e:
            mod.reason = f"I/O error: {e}"
            log.error("modifier %s refused: %s", entry.name, mod.reason)
        return mod

    def _free(self, mod: Modifier) -> None:
        if mod.handle is not None:
            import llama_cpp

            free = getattr(llama_cpp, "llama_adapter_lora_free", None)
            if free is not None:
                free(mod.handle)
            mod.handle = None
        mod.status = "unavailable"
