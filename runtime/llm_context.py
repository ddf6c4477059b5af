"""The llama.cpp model and its multi-sequence context: opened once, closed once (one ExitStack).

The context holds ``n_parallel`` sequences, each in its own KV stream (``kv_unified=False``): a
sequence's cells start at 0 in its stream whatever else is running, so its attention is computed
over the same cells in the same order alone or batched. Measured on this machine (Dec 2026, 8
prompts, 48 greedy tokens): with a unified KV cache 6 of 8 answers changed when their prompts were
prefilled together instead of alone (the softmax sums over a differently laid-out row); with one
stream per sequence 0 of 8 (and 0 of 16) changed. Each stream holds ``n_ctx`` tokens, so the KV
memory is ``(n_parallel + 1) * n_ctx`` cells (~23 KB each for SmolLM2-135M: 0.8 GB at 17 x 2048; the
extra sequence pads one-row decodes under an adapter, see :meth:`ModelContext.pad_rows`).

``llama_cpp.Llama`` is kept for the tokenizer, the chat template and the model handle (and for
benchmarks that compare with llama-cpp-python); generation never uses its own context.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
from pathlib import Path

import numpy as np

from runtime.llama_load import open_llama
from runtime.modifiers import Modifier
from runtime.settings import Settings

log = logging.getLogger("modroute.engine")


class DecodeError(Exception):
    pass


class ModelContext:
    def __init__(self, settings: Settings, model_path: Path):
        self.settings = settings
        self.model_path = model_path
        self._stack = contextlib.ExitStack()
        self.active_key: tuple | None = None

    def open(self) -> ModelContext:
        import llama_cpp

        s = self.settings
        llm = open_llama(str(self.model_path), extra_buffers=s.extra_buffers, n_ctx=s.n_ctx, n_batch=s.n_batch,
                         n_threads=s.n_threads, n_threads_batch=s.n_threads, flash_attn=s.flash_attn, verbose=False)
        self._stack.callback(llm.close)
        self.llm = llm
        self.n_parallel = s.n_parallel
        self.n_ctx = s.n_ctx  # per sequence
        self.n_batch = max(s.n_batch, s.n_parallel)
        # Llama's own context parameters (flash attention as set, rope/yarn from the model, threads), so the
        # answers are llama-cpp-python's; only the sizes and the sequences differ.
        p = llama_cpp.llama_context_params()
        ctypes.memmove(ctypes.byref(p), ctypes.byref(llm.context_params), ctypes.sizeof(p))
        # One more sequence than slots: a scratch sequence for padding rows (see pad_rows).
        self.pad_seq = s.n_parallel
        p.n_ctx = s.n_ctx * (s.n_parallel + 1)
        p.n_batch = self.n_batch
        p.n_ubatch = self.n_batch
        p.n_seq_max = s.n_parallel + 1
        p.kv_unified = False
        p.n_threads = p.n_threads_batch = s.n_threads
        p.no_perf = True
        ctx = llama_cpp.llama_init_from_model(llm.model, p)
        if not ctx:
            raise DecodeError(f"llama.cpp could not create a context for {s.n_parallel} x {s.n_ctx} tokens")
        self._stack.callback(llama_cpp.llama_free, ctx)
        self.ctx = ctx
        self.vocab = llama_cpp.llama_model_get_vocab(llm.model)
        self.n_vocab = int(llama_cpp.llama_vocab_n_tokens(self.vocab))
        self.batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
        self._stack.callback(llama_cpp.llama_batch_free, self.batch)
        self.mem = llama_cpp.llama_get_memory(ctx)
        self.pieces = self._piece_table()
        self.eog = frozenset(t for t in range(self.n_vocab) if llama_cpp.llama_vocab_is_eog(self.vocab, t))
        self.formatter = self._formatter()
        return self

    def close(self) -> None:
        self._stack.close()

    # -- setup -----------------------------------------------------------------------------------
    def _piece_table(self) -> list[bytes]:
        import llama_cpp

        buf = ctypes.create_string_buffer(256)
        pieces = []
        for t in range(self.n_vocab):
            n = llama_cpp.llama_token_to_piece(self.vocab, t, buf, 256, 0, False)
            if n < 0:  # piece longer than the buffer
                big = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self.vocab, t, big, -n, 0, False)
                pieces.append(big.raw[:n])
            else:
                pieces.append(buf.raw[:n])
        return pieces

    def _formatter(self):
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llm = self.llm
        template = llm.metadata.get("tokenizer.chat_template")
        if not template:
            # ChatML, the most common template for small instruct models.
            template = (
                "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
                " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
                "{{ '<|im_start|>assistant\n' }}{% endif %}"
            )
        eos_id, bos_id = llm.token_eos(), llm.token_bos()
        eos = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
        return Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, stop_token_ids=[eos_id])

    def tokenize_chat(self, messages: list[dict[str, str]]) -> list[int]:
        resp = self.formatter(messages=messages)
        return self.llm.tokenize(resp.prompt.encode("utf-8"), add_bos=not resp.added_special, special=True)

    # -- adapters --------------------------------------------------------------------------------
    def set_adapter(self, mod: Modifier | None, key: tuple | None) -> bool:
        """Make ``mod`` (at the scale in ``key``) the context's adapter. Returns True if it changed.
        Other sequences' KV stays valid: each was computed, and continues, under its own adapter."""
        import llama_cpp

        if key == self.active_key:
            return False
        if mod is None:
            rc = llama_cpp.llama_set_adapters_lora(self.ctx, None, 0, None)
        else:
            pairs = mod.adapters(key[1])  # a head on a shared backbone applies both
            handles = (llama_cpp.llama_adapter_lora_p_ctypes * len(pairs))(*[h for h, _ in pairs])
            scales = (ctypes.c_float * len(pairs))(*[s for _, s in pairs])
            rc = llama_cpp.llama_set_adapters_lora(self.ctx, handles, len(pairs), scales)
        if rc != 0:
            self.active_key = ("?",)
            raise DecodeError(f"llama.cpp could not set adapters (rc={rc})")
        self.active_key = key
        return True

    def forget_adapter(self) -> None:
        """After a modifier reload the handles changed: set adapters again on next use."""
        self.active_key = ("?",)

    # -- KV and decoding -------------------------------------------------------------------------
    def seq_keep(self, seq: int, n: int) -> bool:
        """Drop sequence ``seq``'s cells from position ``n`` on."""
        import llama_cpp

        return bool(llama_cpp.llama_memory_seq_rm(self.mem, seq, n, -1))

    def seq_copy(self, src: int, dst: int) -> None:
        """Make sequence ``dst`` hold every cell of ``src`` (each has its own KV stream: llama.cpp copies the
        whole stream's buffers at the start of the next decode)."""
        import llama_cpp

        llama_cpp.llama_memory_seq_cp(self.mem, src, dst, -1, -1)

    def seq_clear(self, seq: int) -> None:
        import llama_cpp

        llama_cpp.llama_memory_seq_rm(self.mem, seq, -1, -1)

    def seq_pos_max(self, seq: int) -> int:
        """Highest position held for ``seq`` (-1: no cells)."""
        import llama_cpp

        return int(llama_cpp.llama_memory_seq_pos_max(self.mem, seq))

    def decode(self, rows: list[tuple[int, int, int, bool]]) -> None:
        """One ``llama_decode`` of (token, position, sequence, wants_logits) rows (<= n_batch)."""
        import llama_cpp

        b = self.batch
        for i, (tok, pos, seq, logits) in enumerate(rows):
            b.token[i] = tok
            b.pos[i] = pos
            b.n_seq_id[i] = 1
            b.seq_id[i][0] = seq
            b.logits[i] = logits
        b.n_tokens = len(rows)
        rc = llama_cpp.llama_decode(self.ctx, b)
        if rc != 0:
            raise DecodeError(f"llama_decode failed (rc={rc})")

    def logits_row(self, i: int) -> np.ndarray:
        """The logits of batch row ``i`` of the last decode (a view; valid until the next decode)."""
        import llama_cpp

        return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.ctx, i), shape=(self.n_vocab,))
