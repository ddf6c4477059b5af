"""Clustering failure embeddings: KMeans (k-means++, many restarts), silhouette per cluster,
the examples nearest each centroid, and keyword labels (distinctive terms, TF-IDF style)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

_STOP = set("""a about above after again all also an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
only or other our out over own same she should so some such than that the their them then there these they
this those through to too under until up very was we were what when where which while who whom why will with
would you your yours write return returns given using use find compute calculate function python list number
numbers value values step steps answer question following make get one two three""".split())


@dataclass
class Cluster:
    id: int
    size: int
    silhouette: float | None
    members: list[int]  # indices into the input
    nearest: list[tuple[int, float]]  # (index, distance to centroid), closest first
    centroid: list[float]
    label: str = ""


def cluster_embeddings(x: np.ndarray, k: int, *, n_init: int = 20, seed: int = 0, nearest: int = 20,
                       min_per_cluster: int = 1) -> tuple[list[Cluster], float | None]:
    """KMeans (k-means++ init, ``n_init`` restarts). ``k`` is capped so that clusters average at least
    ``min_per_cluster`` points. Returns clusters (largest first) and the mean silhouette."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_samples

    n = len(x)
    if n == 0:
        return [], None
    k_eff = max(1, min(k, n // max(1, min_per_cluster), n))
    if k_eff == 1:
        labels = np.zeros(n, dtype=int)
        centers = x.mean(axis=0, keepdims=True)
    else:
        km = KMeans(n_clusters=k_eff, init="k-means++", n_init=n_init, random_state=seed).fit(x)
        labels, centers = km.labels_, km.cluster_centers_
    sil = None
    sil_mean = None
    if 2 <= len(set(labels.tolist())) < n:
        sil = silhouette_samples(x, labels)
        sil_mean = float(sil.mean())
    clusters = []
    for c in range(len(centers)):
        idx = np.flatnonzero(labels == c)
        if len(idx) == 0:
            continue
        d = np.linalg.norm(x[idx] - centers[c], axis=1)
        order = np.argsort(d)[:nearest]
        clusters.append(Cluster(
            id=c, size=len(idx), silhouette=float(sil[idx].mean()) if sil is not None else None,
            members=idx.tolist(), nearest=[(int(idx[o]), float(d[o])) for o in order],
            centroid=[round(float(v), 6) for v in centers[c]],
        ))
    clusters.sort(key=lambda c: -c.size)
    for new_id, c in enumerate(clusters):
        c.id = new_id
    return clusters, sil_mean


def _terms(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z0-9_]+", text.lower()) if w not in _STOP and len(w) > 2]


def keyword_labels(texts: list[str], clusters: list[Cluster], top: int = 3) -> list[str]:
    """Each cluster's most distinctive terms: frequency in the cluster x inverse document frequency."""
    docs = [set(_terms(t)) for t in texts]
    df = Counter(w for d in docs for w in d)
    n = len(docs)
    labels = []
    for c in clusters:
        tf = Counter(w for i in c.members for w in docs[i])
        scored = sorted(tf, key=lambda w: (-(tf[w] / c.size) * math.log((1 + n) / (1 + df[w])), w))
        labels.append(" / ".join(scored[:top]) or "misc")
    return labels
