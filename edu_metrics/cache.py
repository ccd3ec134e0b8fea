"""Files kept between runs: what is costly to build and is keyed by what it was built from.

The folder is `$EDU_METRICS_CACHE`, else `$XDG_CACHE_HOME/edu-metrics`, else
`~/.cache/edu-metrics`. A file there is only ever a shortcut: when it is missing, unreadable or
cannot be written, the work is done again and the result is the same.
"""

import hashlib
import os
import tempfile
from pathlib import Path


def cache_folder() -> Path:
    base = os.environ.get("EDU_METRICS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "edu-metrics"
    )
    return Path(base)


def key_of(*parts: object) -> str:
    """A file-name-safe digest of everything a cached result depends on."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def store(path: Path, data: bytes) -> None:
    """Written whole or not at all; a cache that cannot be written only costs the next build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except OSError:
        pass
