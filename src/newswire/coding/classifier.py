"""The event-type classifier: multinomial logistic regression over sparse string features.

Weights are trained by ``scripts/train_events.py`` (scikit-learn, training only) and shipped as
gzipped JSON; inference is a numpy gather-and-sum, so the run time needs neither sklearn nor torch.
Probabilities are temperature-scaled (temperature fitted on held-out folds) so that they can be
read as calibrated confidences.  Class ``NONE`` means "this candidate is not an event".
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = "events.json.gz"
NONE = "NONE"
_MODAL_FEATS = frozenset({"mc:fut", "mc:must", "mc:cond"})
MODEL_DIR = Path(__file__).resolve().parent / "model"


@dataclass
class Model:
    classes: list[str]
    index: dict[str, int]
    weights: np.ndarray  # (n_features, n_classes)
    bias: np.ndarray  # (n_classes,)
    temperature: float = 1.0
    # added to the logit of the lexicon's type ("T:X") and of the root-most trigger's ("top:X"):
    # the trigger lexicon as a prior the few hundred gold sentences cannot outvote by accident
    prior: float = 0.0
    top_prior: float = 0.0
    modal_scale: float = 1.0
    # Platt scaling (a, b) of an event's probability into P(its type is right), fitted on
    # held-out folds; (1, 0) = identity
    platt: tuple[float, float] = (1.0, 0.0)

    def confidence(self, p: float) -> float:
        a, b = self.platt
        p = min(max(p, 1e-6), 1 - 1e-6)
        z = a * float(np.log(p / (1 - p))) + b
        return float(1.0 / (1.0 + np.exp(-z)))

    def logits(self, feature_lists: list[list[str]]) -> np.ndarray:
        n = len(feature_lists)
        out = np.tile(self.bias, (n, 1))
        if n == 0:
            return out
        rows: list[int] = []
        cols: list[int] = []
        get = self.index.get
        cls = {c: k for k, c in enumerate(self.classes)}
        for i, feats in enumerate(feature_lists):
            # under intent / obligation / condition the PLOVER type is often not the verb's own
            # (a promise to withdraw is AGREE), so the lexicon prior then counts for less
            scale = self.modal_scale if any(f in _MODAL_FEATS for f in feats) else 1.0
            for f in feats:
                j = get(f)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                if f[:2] == "T:" and f[2:] in cls:
                    out[i, cls[f[2:]]] += self.prior * scale
                elif f[:4] == "top:" and f[4:] in cls:
                    out[i, cls[f[4:]]] += self.top_prior * scale
        if cols:
            np.add.at(out, np.asarray(rows), self.weights[np.asarray(cols)])
        return out

    def predict_proba(self, feature_lists: list[list[str]]) -> np.ndarray:
        z = self.logits(feature_lists) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict:
        names = sorted(self.index, key=self.index.__getitem__)
        return {
            "classes": self.classes,
            "temperature": self.temperature,
            "prior": self.prior,
            "top_prior": self.top_prior,
            "modal_scale": self.modal_scale,
            "platt": list(self.platt),
            "bias": [round(float(b), 4) for b in self.bias],
            "features": {
                n: [round(float(w), 4) for w in self.weights[self.index[n]]] for n in names
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        names = list(data["features"])
        w = np.asarray([data["features"][n] for n in names], dtype=np.float64)
        if not names:
            w = np.zeros((0, len(data["classes"])))
        return cls(
            classes=list(data["classes"]),
            index={n: i for i, n in enumerate(names)},
            weights=w,
            bias=np.asarray(data["bias"], dtype=np.float64),
            temperature=float(data.get("temperature", 1.0)),
            prior=float(data.get("prior", 0.0)),
            top_prior=float(data.get("top_prior", 0.0)),
            modal_scale=float(data.get("modal_scale", 1.0)),
            platt=tuple(float(x) for x in data.get("platt", (1.0, 0.0))),  # type: ignore[arg-type]
        )

    def save(self, path: Path) -> None:
        data = json.dumps(self.to_json(), separators=(",", ":")).encode("utf-8")
        # mtime=0: the same training run gives byte-identical files
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(data)


def load_path(path: Path) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return Model.from_json(json.load(fh))


@functools.cache
def load() -> Model | None:
    """The shipped model, or None when it has not been trained yet (lexicon-only coding)."""
    path = MODEL_DIR / MODEL_FILE
    return load_path(path) if path.is_file() else None
