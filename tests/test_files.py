"""Atomic file writes: folders made, usual permissions, nothing half-written."""

from __future__ import annotations

import os

import pytest

from autograd.files import write_atomically


def test_writes_into_new_folders_with_the_usual_permissions(tmp_path):
    target = tmp_path / "deep" / "er" / "page.html"
    written = write_atomically(target, b"<p>hi</p>")
    assert written == target and target.read_bytes() == b"<p>hi</p>"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "frame.png"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["frame.png"]
