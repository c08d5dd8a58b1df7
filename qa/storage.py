"""The index folder on disk: atomic publication, a build lock and checksums.

Design choice: every build is written into `builds/<id>.partial/`, renamed to
`builds/<id>/` when complete, and published by atomically replacing the `current`
symlink. A reader only ever follows `current`, so a build that fails or is killed
leaves the previous index untouched and a `.partial` folder is never loaded. One
build at a time holds an exclusive `flock` on `.lock`. The manifest records the
sha256 of every file, checked on load, so a truncated or altered file is reported,
never used.

The index also owns its documents: each indexed file is kept once in `documents/`,
named by the sha256 of its bytes (`documents/<sha256>.pdf`), so the app and the
source viewer read them from there, never from where a file first came from. A file
is stored (written under a temporary name, synced, renamed) before the build that
lists it is published, and removed only after no kept build lists it any more, so a
killed add or remove never leaves the current build pointing at a missing file.
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
# 3: sentence vectors float16 and chunk vectors as memory-mapped .npy, chunk table
#    with offsets and columns, PQ codes above a size (qa.search.codes).
FORMAT_VERSION = 3
# Files larger than this are checked on load by size and a sample of 64 blocks of
# 1 MiB (a full sha256 of 13 GB of sentence vectors would take minutes per load).
SAMPLED_ABOVE = 256 << 20
MANIFEST_NAME = "manifest.json"
CURRENT_LINK = "current"
BUILDS_FOLDER = "builds"
PARTIAL_SUFFIX = ".partial"
LOCK_NAME = ".lock"
DOCUMENTS_FOLDER = "documents"


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


def sampled_checksum(path: Path, blocks: int = 64, block: int = 1 << 20) -> str:
    """`sampled:<size>:<sha256 of 64 evenly spaced 1 MiB blocks and the last one>`."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for number in range(blocks):
            handle.seek(number * (size - block) // (blocks - 1))
            digest.update(handle.read(block))
    return f"sampled:{size}:{digest.hexdigest()}"


def checksum_of(path: Path) -> str:
    return sampled_checksum(path) if path.stat().st_size > SAMPLED_ABOVE else sha256_of(path)


def file_checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): checksum_of(path)
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
        actual = sampled_checksum(path) if checksum.startswith("sampled:") else sha256_of(path)
        if actual != checksum:
            raise IndexCorruptError(str(index_dir), f"{name} does not match its checksum (truncated or altered)")


# --- the document store ---------------------------------------------------------------

def index_root(folder: Path) -> Path:
    """The index folder that holds the build `folder` (`index/builds/<id>` -> `index`)."""
    folder = Path(folder)
    return folder.parent.parent if folder.parent.name == BUILDS_FOLDER else folder


def store_document(index_dir, source: Path, sha256: str) -> str:
    """Keep a copy of `source`, whose bytes hash to `sha256`, in the index folder;
    returns its path relative to the index folder. A file already stored is not
    copied again. Raises ValueError if the copy does not hash to `sha256` (the file
    changed while it was being added)."""
    root = Path(index_dir)
    relative = f"{DOCUMENTS_FOLDER}/{sha256}{Path(source).suffix.lower()}"
    target = root / relative
    if target.is_file() and target.stat().st_size == Path(source).stat().st_size:
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".incoming-{uuid.uuid4().hex[:8]}{target.suffix}")
    try:
        shutil.copyfile(source, temporary)
        if sha256_of(temporary) != sha256:
            raise ValueError("the file changed while it was being added; add it again")
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    descriptor = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return relative


def remove_unlisted_documents(index_dir) -> list[str]:
    """Delete stored documents that no build in the index folder lists (and leftovers
    of interrupted copies). Call only while holding the build lock, after
    `remove_leftovers`. Returns the paths removed, relative to the index folder."""
    root = Path(index_dir)
    store = root / DOCUMENTS_FOLDER
    if not store.is_dir():
        return []
    listed: set[str] = set()
    builds = root / BUILDS_FOLDER
    folders = sorted(builds.iterdir()) if builds.is_dir() else []
    if (root / MANIFEST_NAME).is_file():  # a copied build folder
        folders.append(root)
    for folder in folders:
        try:
            manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if folder.name.endswith(PARTIAL_SUFFIX):
                continue
            return []  # a build we cannot read: keep every file rather than guess
        listed.update(document.get("path", "") for document in manifest.get("documents", []))
    removed = []
    for path in store.iterdir():
        relative = f"{DOCUMENTS_FOLDER}/{path.name}"
        if path.is_file() and relative not in listed:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(relative)
    return removed
