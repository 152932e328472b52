"""Bulk building: documents in, one segment per chunk out (optionally in parallel)."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .documents import Document, ScoringParams
from .segment import Segment


class SegmentBuilder:
    """Cuts a stream of documents into chunks and turns each into a segment.

    With a ``directory`` every segment is saved as soon as it is built and
    reopened memory-mapped, so only the chunks being built are in memory.
    With ``workers > 1`` (and a directory) chunks are built in that many
    forked processes; at most ``workers`` chunks are in flight, which bounds
    memory.  A stream of a single chunk is built in-process (no pool start-up).
    """

    def __init__(self, params: ScoringParams, chunk_size: int, directory: str | None = None,
                 workers: int = 1):
        self.params = params
        self.chunk_size = chunk_size
        self.directory = directory
        self.workers = workers if directory else 1

    def build(self, docs: Iterable[Mapping[str, Any] | Document]
              ) -> Iterator[tuple[Segment, str | None, list[Document]]]:
        """Yield ``(segment, folder or None, its documents)`` in input order."""
        chunks = self._chunks(docs)
        first = next(chunks, None)
        if first is None:
            return
        second = next(chunks, None)
        if second is None or self.workers <= 1:
            for number, chunk in enumerate(_prepend(first, second, chunks)):
                yield self._build_here(chunk, number), self._folder(number), chunk
            return
        yield from self._build_in_pool(_prepend(first, second, chunks))

    def _chunks(self, docs: Iterable[Mapping[str, Any] | Document]) -> Iterator[list[Document]]:
        chunk: list[Document] = []
        for raw in docs:
            chunk.append(Document.from_mapping(raw))
            if len(chunk) >= self.chunk_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _folder(self, number: int) -> str | None:
        return os.path.join(self.directory, f"seg_{number:05d}") if self.directory else None

    def _build_here(self, chunk: list[Document], number: int) -> Segment:
        segment = Segment.build(chunk, self.params)
        folder = self._folder(number)
        if folder:
            segment.save(folder)
            segment = Segment.load(folder)
        return segment

    def _build_in_pool(self, chunks: Iterator[list[Document]]):
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context) as pool:
            in_flight: list[tuple[concurrent.futures.Future, list[Document]]] = []
            for number, chunk in enumerate(chunks):
                future = pool.submit(_build_segment_to, chunk, self.params, self._folder(number))
                in_flight.append((future, chunk))
                while len(in_flight) >= self.workers:
                    yield _finished(*in_flight.pop(0))
            while in_flight:
                yield _finished(*in_flight.pop(0))


def _prepend(first, second, rest):
    yield first
    if second is not None:
        yield second
    yield from rest


def _finished(future: concurrent.futures.Future, chunk: list[Document]):
    folder = future.result()
    return Segment.load(folder), folder, chunk


def _build_segment_to(docs: list[Document], params: ScoringParams, folder: str) -> str:
    """Worker-process body of a parallel build: index one chunk and save it."""
    Segment.build(docs, params).save(folder)
    return folder
