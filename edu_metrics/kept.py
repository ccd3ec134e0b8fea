"""Compiled patterns kept between runs, so that a start does not compile the rule packs again.

The `regex` module compiles in Python: about 3 ms a rule and as much again for the cues, most of
a cold start; the modules' own helper patterns, 0.3 ms each, go through here too. A compiled
pattern pickles as its compiled code (regex registers that with copyreg) and is rebuilt from it
without parsing, in microseconds. So each pattern compiled here is kept in one file in the cache
folder, keyed by `regex`'s and Python's versions, and written when the
process that read it ends having compiled new ones. A file that is missing, damaged or written by
something else only costs the compiles; it is unpickled with nothing allowed but `regex`'s own
constructor.
"""

import atexit
import io
import os
import pickle
import sys

import regex

from .cache import cache_folder, key_of, store

# Past this many, a run keeps only the patterns it used: old packs' patterns do not pile up.
MOST = 4_000
_CONSTRUCTOR = pickle.dumps(regex.compile(""))  # what a kept pattern is built by, for the allow list


class _OnlyPatterns(pickle.Unpickler):
    """Refuses every global but the one a kept pattern is built by."""

    def find_class(self, module: str, name: str):  # noqa: ANN201 - what pickle's protocol returns
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a compiled pattern")


def _allowed() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str):  # noqa: ANN202
            found.add((module, name))
            return super().find_class(module, name)

    Recording(io.BytesIO(_CONSTRUCTOR)).load()
    return found


_ALLOWED = _allowed()


class _Kept:
    """The kept patterns of this process: their pickles as read, and which are new or used."""

    def __init__(self) -> None:
        self.path = cache_folder() / f"patterns-{key_of(regex.__version__, sys.version_info[:2])}.pickle"
        self.pickles: dict[str, bytes] = _read(self.path)
        self.used: set[str] = set()
        self.new = False
        self.owner = os.getpid()  # a forked worker does not write the file
        atexit.register(self.write)

    def compiled(self, pattern: str) -> regex.Pattern:
        self.used.add(pattern)
        if (kept := self.pickles.get(pattern)) is not None:
            try:
                restored = _OnlyPatterns(io.BytesIO(kept)).load()
                if isinstance(restored, regex.Pattern) and restored.pattern == pattern:
                    return restored
            except Exception:  # noqa: BLE001 - any damage: compile it again
                pass
        compiled = regex.compile(pattern)  # raises regex.error for the caller to tell
        self.pickles[pattern] = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
        self.new = True
        return compiled

    def write(self) -> None:
        if not self.new or os.getpid() != self.owner:
            return
        pickles = self.pickles
        if len(pickles) > MOST:
            pickles = {pattern: pickles[pattern] for pattern in self.used}
        store(self.path, pickle.dumps(pickles, protocol=pickle.HIGHEST_PROTOCOL))
        self.new = False


def _read(path) -> dict[str, bytes]:
    """The kept pickles, or none when the file is missing or is not such a dict."""
    try:
        with path.open("rb") as stream:
            pickles = _OnlyStrings(stream).load()
    except Exception:  # noqa: BLE001 - missing, damaged, foreign: start empty
        return {}
    if not isinstance(pickles, dict) or not all(isinstance(k, str) and isinstance(v, bytes) for k, v in pickles.items()):
        return {}
    return pickles


class _OnlyStrings(pickle.Unpickler):
    """The file itself holds nothing but strings and bytes."""

    def find_class(self, module: str, name: str):  # noqa: ANN201
        raise pickle.UnpicklingError(f"{module}.{name} in a file of kept patterns")


_kept: _Kept | None = None


def compiled(pattern: str) -> regex.Pattern:
    """`regex.compile(pattern)`, from the kept patterns when it was compiled before."""
    global _kept
    if _kept is None:
        _kept = _Kept()
    return _kept.compiled(pattern)
