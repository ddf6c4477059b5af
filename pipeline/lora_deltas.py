"""LoRA weight deltas compared in their low-rank factors: inner products, compact SVDs, a shared subspace.

A modifier changes a base weight by ΔW = s·B·A (B: (n_out, r), A: (r, n_in), s = alpha / r). Everything
here works on the factors, never on the (n_out, n_in) matrix: with r = 8 and widths up to 1536, an inner
product <ΔW_i, ΔW_j>_F = tr((B_iᵀB_j)(A_jA_iᵀ)) costs r²(n_out + n_in) instead of n_out·n_in, and the
shared subspace of k deltas comes from an (n, k·r) matrix instead of an (n_out, k·n_in) one.
``dense_*`` are the same quantities from materialised matrices: the check that the algebra is right.

Shared subspace: the top-r left singular vectors of the concatenation [ΔW_1/‖ΔW_1‖ ... ΔW_k/‖ΔW_k‖]
(output side; each delta normalised so that no modifier owns the subspace by being larger), the same for
the stacked [ΔW_1; ...; ΔW_k] (input side), and both at once (ΔW_i ≈ U_r C_i V_rᵀ: a shared basis with an
r x r core per modifier). "Explained" is the fraction of ‖ΔW_i‖²_F inside the projection. Two references
bound it: ``own`` (ΔW_i's own top-r singular values: no r-dim subspace does better) and ``null`` (the same
procedure on deltas with the same singular values but independent random singular vectors).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIDES = ("output", "input", "both")


@dataclass(frozen=True)
class Delta:
    """ΔW = b @ a with the scale already folded into ``b``."""

    b: np.ndarray  # (n_out, r)
    a: np.ndarray  # (r, n_in)

    @classmethod
    def from_lora(cls, a: np.ndarray, b: np.ndarray, scale: float) -> Delta:
        a = np.asarray(a, np.float64)
        b = np.asarray(b, np.float64) * float(scale)
        if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[1]:
            raise ValueError(f"lora_a {a.shape} and lora_b {b.shape} do not make B·A")
        return cls(b, a)

    @property
    def shape(self) -> tuple[int, int]:
        return self.b.shape[0], self.a.shape[1]

    def dense(self) -> np.ndarray:
        return self.b @ self.a

    def svd(self) -> Factors:
        """Compact SVD ΔW = U diag(s) Vᵀ from QRs of B and Aᵀ and the SVD of an r x r core."""
        qb, rb = np.linalg.qr(self.b)
        qa, ra = np.linalg.qr(self.a.T)
        u, s, vt = np.linalg.svd(rb @ ra.T)
        return Factors(qb @ u, s, qa @ vt.T)


@dataclass(frozen=True)
class Factors:
    u: np.ndarray  # (n_out, r), orthonormal columns
    s: np.ndarray  # (r,), descending
    v: np.ndarray  # (n_in, r), orthonormal columns

    @property
    def energy(self) -> float:
        return float(np.sum(self.s ** 2))


def inner(x: Delta, y: Delta) -> float:
    """<B_x A_x, B_y A_y>_F = tr((B_xᵀB_y)(A_yA_xᵀ))."""
    return float(np.sum((x.b.T @ y.b) * (x.a @ y.a.T)))


def factors_inner(x: Factors, y: Factors) -> float:
    """<U_x S_x V_xᵀ, U_y S_y V_yᵀ>_F = tr(S_x (U_xᵀU_y) S_y (V_yᵀV_x))."""
    return float(np.sum((x.u.T @ y.u) * np.outer(x.s, y.s) * (x.v.T @ y.v)))


def gram(deltas: list[Delta] | list[Factors]) -> np.ndarray:
    k = len(deltas)
    dot = factors_inner if deltas and isinstance(deltas[0], Factors) else inner
    g = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            g[i, j] = g[j, i] = dot(deltas[i], deltas[j])
    return g


def cosines(g: np.ndarray) -> np.ndarray:
    """Cosine similarity of the flattened deltas from their Gram matrix (0 where a delta is zero)."""
    n = np.sqrt(np.clip(np.diag(g), 0.0, None))
    denom = np.outer(n, n)
    return np.divide(g, denom, out=np.zeros_like(g), where=denom > 0)


def mean_off_diagonal(c: np.ndarray) -> float:
    k = c.shape[0]
    return float((c.sum() - np.trace(c)) / (k * (k - 1))) if k > 1 else float("nan")


def _basis(blocks: list[np.ndarray]) -> np.ndarray:
    """Left singular vectors (columns, by descending singular value) of the horizontal stack of ``blocks``."""
    u, _, _ = np.linalg.svd(np.concatenate(blocks, axis=1), full_matrices=False)
    return u


def shared_explained(factors: list[Factors], ranks: list[int], normalize: bool = True) -> dict[str, np.ndarray]:
    """Per side, an array (k, len(ranks)): the energy of each delta inside the top-r shared subspace
    (absolute ‖·‖²_F, not yet divided by the delta's energy, so blocks can be summed)."""
    w = [1.0 / np.sqrt(f.energy) if (normalize and f.energy > 0) else 1.0 for f in factors]
    out_basis = _basis([f.u * (f.s * wi) for f, wi in zip(factors, w, strict=True)])
    in_basis = _basis([f.v * (f.s * wi) for f, wi in zip(factors, w, strict=True)])
    res = {side: np.zeros((len(factors), len(ranks))) for side in SIDES}
    for i, f in enumerate(factors):
        pu = out_basis.T @ f.u  # the delta's output directions in the shared basis
        pv = in_basis.T @ f.v
        for j, r in enumerate(ranks):
            res["output"][i, j] = np.sum((pu[:r] * f.s) ** 2)
            res["input"][i, j] = np.sum((pv[:r] * f.s) ** 2)
            res["both"][i, j] = np.sum(((pu[:r] * f.s) @ pv[:r].T) ** 2)
    return res


def own_explained(f: Factors, ranks: list[int]) -> np.ndarray:
    """Energy of the delta's own best rank-r approximation (the upper bound for any r-dim subspace)."""
    return np.array([float(np.sum(f.s[:r] ** 2)) for r in ranks])


def random_like(f: Factors, rng: np.random.Generator) -> Factors:
    """Same singular values, independent uniformly random singular vectors."""
    def haar(n: int, r: int) -> np.ndarray:
        q, rr = np.linalg.qr(rng.standard_normal((n, r)))
        return q * np.sign(np.diag(rr))

    return Factors(haar(f.u.shape[0], len(f.s)), f.s, haar(f.v.shape[0], len(f.s)))


# -- the same from dense matrices (the check) -----------------------------------------------------------------
def dense_cosines(mats: list[np.ndarray]) -> np.ndarray:
    flat = np.stack([m.ravel() for m in mats])
    return cosines(flat @ flat.T)


def dense_explained(mats: list[np.ndarray], ranks: list[int], normalize: bool = True) -> dict[str, np.ndarray]:
    """SVD of the materialised concatenations [ΔW_1 ... ΔW_k] and [ΔW_1; ...; ΔW_k]."""
    w = [1.0 / np.linalg.norm(m) if (normalize and np.linalg.norm(m) > 0) else 1.0 for m in mats]
    u, _, _ = np.linalg.svd(np.concatenate([m * wi for m, wi in zip(mats, w, strict=True)], axis=1),
                            full_matrices=False)
    _, _, vt = np.linalg.svd(np.concatenate([m * wi for m, wi in zip(mats, w, strict=True)], axis=0),
                             full_matrices=False)
    res = {side: np.zeros((len(mats), len(ranks))) for side in SIDES}
    for i, m in enumerate(mats):
        for j, r in enumerate(ranks):
            ur, vr = u[:, :r], vt[:r].T
            res["output"][i, j] = np.sum((ur.T @ m) ** 2)
            res["input"][i, j] = np.sum((m @ vr) ** 2)
            res["both"][i, j] = np.sum((ur.T @ m @ vr) ** 2)
    return res
