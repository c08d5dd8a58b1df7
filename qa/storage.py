"""The index folder on disk: atomic publication, a build lock and checksums.

Design choice: every build is written into `builds/<id>.partial/`, renamed to
`builds/<id>/` when complete, and published by atomically replacing the `current`
symlink. A reader only ever follows `current`, so a build that fails or is killed
leaves the previous index untouched and a `.partial` folder is never loaded. One
build at a time holds an exclusive `flock` on `.lock`. The manifest records the
sha256 of every file, checked on load, so a truncated or altered file is reported,
never used.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from pathlib import Path

from .errors import IndexCorruptError, IndexLockedError, IndexNotFoundError

logger = logging.getLogger(__name__)

# 2: Latin words stemmed in the lexical index (Snowball); language groups for dense calibration.
FORMAT_VERSION = 2
MANIFEST_NAME = "manifest.json"
CURRENT_LINK = "current"
BUILDS_FOLDER = "builds"
PARTIAL_SUFFIX = ".partial"
LOCK_NAME = ".lock"


def build_folder(index_dir) -> Path:
    """The folder holding the current build of `index_dir`."""
    root = Path(index_dir)
    current = root / CURRENT_LINK
    if current.is_dir():
        return current.resolve()
    if (root / MANIFEST_NAME).is_file():  # a copied build folder
        return root
    raise IndexNotFoundError(str(index_dir))


def current_build_marker(index_dir) -> str:
    """A cheap value that changes whenever a new build is published."""
    root = Path(index_dir)
    try:
        return os.readlink(root / CURRENT_LINK)
    except OSError:
        manifest = root / MANIFEST_NAME
        return str(manifest.stat().st_mtime_ns) if manifest.exists() else ""


@contextlib.contextmanager
def build_lock(index_dir, wait_seconds: float = 0.0):
    """Hold the exclusive build lock of `index_dir`, waiting up to `wait_seconds`."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / LOCK_NAME, "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise IndexLockedError(
                        f"another build of {str(index_dir)!r} is running (pid {holder}); "
                        "wait for it to finish and try again"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def new_partial_folder(index_dir) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    folder = Path(index_dir) / BUILDS_FOLDER / f"{stamp}-{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}"
    folder.mkdir(parents=True)
    return folder


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): sha256_of(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST_NAME
    }


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
        descriptor = os.open(path, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_manifest(folder: Path, manifest: dict) -> None:
    manifest = {**manifest, "files": file_checksums(folder)}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def publish(index_dir, partial: Path) -> Path:
    """Make a complete partial build the current one, atomically."""
    root = Path(index_dir)
    _fsync_tree(partial)
    final = partial.with_name(partial.name[: -len(PARTIAL_SUFFIX)])
    os.rename(partial, final)
    temporary_link = root / f".{CURRENT_LINK}.{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.join(BUILDS_FOLDER, final.name), temporary_link)
    os.replace(temporary_link, root / CURRENT_LINK)
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return final


def remove_leftovers(index_dir, keep: set[Path]) -> None:
    """Remove unfinished builds and old builds, keeping `keep` and the current one.
    Call only while holding the build lock."""
    root = Path(index_dir)
    builds = root / BUILDS_FOLDER
    if not builds.is_dir():
        return
    keep = {path.resolve() for path in keep}
    with contextlib.suppress(IndexNotFoundError):
        keep.add(build_folder(root).resolve())
    for folder in builds.iterdir():
        if folder.resolve() not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for link in root.glob(f".{CURRENT_LINK}.*"):
        with contextlib.suppress(OSError):
            link.unlink()


def read_manifest(folder: Path, index_dir) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexCorruptError(str(index_dir), f"unreadable manifest: {error}") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorruptError(
            str(index_dir), f"index format {manifest.get('format_version')!r}, this qa reads {FORMAT_VERSION}"
        )
    return manifest


def verify_checksums(folder: Path, manifest: dict, index_dir) -> None:
    expected = manifest.get("files") or {}
    if not expected:
        raise IndexCorruptError(str(index_dir), "the manifest lists no files")
    for name, checksum in expected.items():
        path = folder / name
        if not path.is_file():
            raise IndexCorruptError(str(index_dir), f"{name} is missing")
        if sha256_of(path) != checksum:
            raise IndexCorruptError(str(index_dir), f"{name} does not match its checksum (truncated or altered)")
