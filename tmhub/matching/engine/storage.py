"""On-disk layout, manifest with checksums, and atomic replacement.

Layout of an index directory::

    MANIFEST.json         format version, parameters, segment list, and for
                          every other file its size and BLAKE2b checksum
    seg_00000/...         one folder per segment (see ``segment.py``)
    seg_00000.deleted.npy tombstones of that segment (bool per document)
    semantic_*            optional dense vectors and their queue

A save writes a complete new directory next to the target and swaps it in
with ``rename``, so a reader sees either the old or the new index, never a
half-written one.  Loading checks every file listed in the manifest, so a
truncated, altered or missing file raises :class:`IndexCorrupt`, and a
missing directory raises :class:`IndexMissing` - never an empty result.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile

MANIFEST_NAME = "MANIFEST.json"
FORMAT_VERSION = 1
_CHUNK = 1 << 20


class IndexStorageError(Exception):
    """Base class of the engine's storage errors."""


class IndexMissing(IndexStorageError):
    """The index directory or its manifest does not exist."""


class IndexCorrupt(IndexStorageError):
    """The index exists but a file is missing, truncated, altered or unreadable."""


def file_checksum(path: str) -> str:
    """BLAKE2b hex digest of a file, read in chunks."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe_files(root: str, known: dict[str, dict] | None = None) -> dict[str, dict]:
    """Size and checksum of every file under ``root`` except the manifest.

    ``known`` gives the entries of files carried over unchanged from a previous save (the
    hard-linked files of immutable segments): they are not read again when their size still
    matches, so saving one changed document costs the same at 1,000 or 1,000,000 documents.
    A carried file damaged since is still caught by the next full verification on load."""
    known = known or {}
    files = {}
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if rel == MANIFEST_NAME:
                continue
            size = os.path.getsize(path)
            spec = known.get(rel)
            if spec is None or spec["size"] != size:
                spec = {"size": size, "blake2b": file_checksum(path)}
            files[rel] = spec
    return files


def write_manifest(root: str, payload: dict, known: dict[str, dict] | None = None) -> dict:
    """Write the manifest (file list computed here, see :func:`describe_files`), fsync it and
    return it."""
    manifest = dict(payload, format_version=FORMAT_VERSION, files=describe_files(root, known))
    path = os.path.join(root, MANIFEST_NAME)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    return manifest


def read_manifest(root: str, verify: str = "full") -> dict:
    """Read and check the manifest of ``root``.

    ``verify``: ``"full"`` compares sizes and checksums of all files,
    ``"size"`` only sizes (fast for very large indexes), ``"none"`` nothing.
    """
    if not os.path.isdir(root):
        raise IndexMissing(f"no index directory at {root}")
    path = os.path.join(root, MANIFEST_NAME)
    if not os.path.exists(path):
        raise IndexMissing(f"no {MANIFEST_NAME} in {root}")
    try:
        with open(path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"unreadable manifest in {root}: {exc}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorrupt(f"unsupported index format {manifest.get('format_version')!r}")
    if verify == "none":
        return manifest
    for rel, spec in manifest.get("files", {}).items():
        file_path = os.path.join(root, rel)
        if not os.path.exists(file_path):
            raise IndexCorrupt(f"index file missing: {rel}")
        if os.path.getsize(file_path) != spec["size"]:
            raise IndexCorrupt(f"index file has the wrong size: {rel}")
        if verify == "full" and file_checksum(file_path) != spec["blake2b"]:
            raise IndexCorrupt(f"index file checksum mismatch: {rel}")
    return manifest


def new_staging_dir(target: str) -> str:
    """A fresh empty directory beside ``target`` (same filesystem, so rename is atomic)."""
    parent = os.path.dirname(os.path.abspath(target)) or "."
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.tmp-", dir=parent)


def swap_in(staging: str, target: str) -> None:
    """Atomically make ``staging`` the directory at ``target``.

    POSIX cannot rename a directory over a non-empty one, so the old index is
    first renamed aside (one rename), the new one renamed in (one rename),
    then the old one deleted.  Readers that already opened the old files keep
    their memory maps: unlinked files live on until unmapped.
    """
    _fsync_dir(staging)
    old = None
    if os.path.exists(target):
        old = staging + ".old"
        os.rename(target, old)
    os.rename(staging, target)
    _fsync_dir(os.path.dirname(os.path.abspath(target)))
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def link_or_copy_tree(source: str, destination: str) -> None:
    """Copy a segment folder, hard-linking files when possible (segments are immutable)."""
    os.makedirs(destination, exist_ok=True)
    for name in os.listdir(source):
        src, dst = os.path.join(source, name), os.path.join(destination, name)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
