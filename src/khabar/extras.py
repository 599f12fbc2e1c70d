"""Optional dependencies: the core install loads and scores; baselines, Label Studio and Hugging Face models
are extras, and a command that needs one says which in one line."""

from __future__ import annotations

import importlib
from types import ModuleType

from khabar.errors import KhabarError

# extra name -> what it adds, as pyproject.toml's [project.optional-dependencies] declares it
EXTRAS = {
    "baselines": "the CRF and pyarabic baselines (sklearn-crfsuite, pyarabic)",
    "labelstudio": "annotation rounds and agreement (label-studio-sdk, scikit-learn, krippendorff)",
    "hf": "Hugging Face token-classification models (transformers, torch)",
}


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import ``module``, or fail with one line naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise KhabarError([f"{what} needs {module}, from the optional dependencies khabar[{extra}]: "
                           f"pip install 'khabar[{extra}]'"]) from None
