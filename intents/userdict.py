"""Build and cache the Sudachi user dictionary from dictionaries/user_dict.csv.

A user dictionary only loads with the exact system dictionary it was built against, so the
binary is never committed: it is built on first start (or by `tsunagu classify` / tests) into
a cache directory, under a name keyed by a hash of the system dictionary file and of the CSV.
When either changes, the key changes and the dictionary is rebuilt.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from pathlib import Path

from sudachipy import sudachipy as _native

PROJECT_ROOT = Path(__file__).resolve().parent.parent
USER_DICT_CSV = PROJECT_ROOT / "dictionaries" / "user_dict.csv"


def system_dic_path() -> Path:
    import sudachidict_core

    return Path(sudachidict_core.__file__).parent / "resources" / "system.dic"


def cache_dir() -> Path:
    """TSUNAGU_CACHE_DIR, else $XDG_CACHE_HOME/tsunagu, else ./var/cache of the project."""
    if os.environ.get("TSUNAGU_CACHE_DIR"):
        return Path(os.environ["TSUNAGU_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "tsunagu"
    return PROJECT_ROOT / "var" / "cache"


def _file_sha256(path: Path, memo_dir: Path) -> str:
    """sha256 of a (200 MB) file, memoised by (path, size, mtime, inode) so starts stay fast."""
    st = path.stat()
    stamp = f"{path}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"
    memo = memo_dir / "system-dic.sha256.json"
    try:
        data = json.loads(memo.read_text())
        if data.get("stamp") == stamp:
            return data["sha256"]
    except (OSError, ValueError, KeyError):
        pass
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    digest = h.hexdigest()
    _atomic_write(memo, json.dumps({"stamp": stamp, "sha256": digest}).encode())
    return digest


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _csv_rows(csv_path: Path) -> bytes:
    """The CSV without comment lines ("#...") and blank lines: what Sudachi reads."""
    lines = [
        line for line in csv_path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def user_dic_path(csv_path: Path = USER_DICT_CSV, system: Path | None = None) -> Path:
    """Where the user dictionary for this system dictionary and this CSV lives (maybe unbuilt)."""
    system = system or system_dic_path()
    cdir = cache_dir()
    key = hashlib.sha256()
    key.update(_file_sha256(system, cdir).encode())
    key.update(_csv_rows(csv_path))
    return cdir / f"user-{key.hexdigest()[:20]}.dic"


def ensure_user_dic(csv_path: Path = USER_DICT_CSV, system: Path | None = None) -> Path:
    """Return the built user dictionary, building it (once, under a file lock) if needed."""
    system = system or system_dic_path()
    out = user_dic_path(csv_path, system)
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / "user-dic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if out.exists():  # another process built it while we waited
            return out
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            src = Path(tmp) / "user_dict.csv"
            src.write_bytes(_csv_rows(csv_path))
            built = Path(tmp) / "user.dic"
            _native.build_user_dic(
                system=system, lex=[src], output=built, description="tsunagu user dictionary"
            )
            os.replace(built, out)
    return out
