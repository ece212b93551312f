"""Writing files so that nothing is ever half-written.

``write_atomically(path, data)`` writes ``data`` to a temporary file beside ``path``
and renames it over ``path``. The rules it keeps:

* **Modes.** A new file gets the usual permissions, 0o666 less the umask: the
  temporary file is created with mode 0o666 and the kernel applies the umask, so the
  umask is never read or changed (``os.umask`` is process-wide state, and setting it
  even for a moment races with every other thread that creates a file). Overwriting
  keeps the old file's permission bits (a 0o600 file stays 0o600); set-user-ID,
  set-group-ID and sticky bits are not carried over. The temporary file is never
  readable by more people than the final file.
* **Temporary names.** ``.<target>.<16 hex digits>.pathgrad-tmp`` in the target's
  folder, where ``<target>`` is the target's name cut to at most
  ``TEMPORARY_NAME_PART`` bytes, so a temporary name is at most 71 bytes long and
  never pushes a valid target name over the file system's name limit.
* **Clean-up.** A save removes the temporary files of the same target name that are
  older than ``STALE_TEMPORARY_SECONDS`` (10 minutes): those a killed save left
  behind. Younger ones may belong to a save still running in another process and
  are left alone.
* **Durability.** The file is ``fsync``-ed before the rename and its folder after it,
  so after a crash the target holds either the old bytes or the new ones.
* **Failure.** If anything fails before the rename (the disk is full, the data is not
  bytes, the save is interrupted), the temporary file is removed, any old file is
  untouched, and the error is raised.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

__all__ = [
    "write_atomically",
    "write_all_atomically",
    "check_writable",
    "TEMPORARY_SUFFIX",
    "TEMPORARY_NAME_PART",
    "STALE_TEMPORARY_SECONDS",
]

TEMPORARY_SUFFIX = ".pathgrad-tmp"
"""How every temporary file's name ends."""

TEMPORARY_NAME_PART = 40
"""At most this many bytes of the target's name appear in its temporary file's name."""

STALE_TEMPORARY_SECONDS = 600.0
"""A temporary file of the same target this much older than now is a killed save's."""

_RANDOM_DIGITS = 16  # hex digits: 64 random bits, so two saves never pick the same name
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Missing folders are made (0o777 less the umask). A reader never sees a
    half-written file, and a failed write leaves any old file as it was and no
    temporary file, nor any folder it made, behind. A new file gets the usual
    permissions (0o666 less the umask, so a web server can read an exported page);
    an overwritten one keeps its permission bits. The umask is never read or
    changed, so this is safe to call from several threads at once. Stale temporary
    files of the same target (older than ``STALE_TEMPORARY_SECONDS``) are removed
    first. Returns ``Path(path)``.

    Raises ``TypeError`` if ``data`` is not bytes-like, ``IsADirectoryError`` if
    ``path`` is a folder, an ``OSError`` if it is a named pipe or a device, a
    ``PermissionError`` if it is a file we may not write, and the ``OSError`` of any
    step that fails.
    """
    target = Path(path)
    made = _missing_folders([target.parent])
    try:
        temporary = _staged(target, data)
        _put_in_place(temporary, target)
    except BaseException:
        _remove_empty(made)  # a failed write leaves no folders it made behind
        raise
    return target


def write_all_atomically(files: dict[Path, bytes]) -> list[Path]:
    """Write several files, all or none: ``{path: data}``, in that order.

    Every file is first written whole to a temporary file beside its target; only
    when all of them are written are they moved into place, each by one rename.
    A write that fails (a full disk, a name too long, a file in the way) leaves
    every target as it was and no temporary file behind. Only a rename can fail
    after that (the folder removed meanwhile, say), and then the files already
    renamed stay. Returns the paths.
    """
    staged: list[tuple[Path, Path]] = []
    made = _missing_folders([Path(path).parent for path in files])
    try:
        for path, data in files.items():
            target = Path(path)
            staged.append((_staged(target, data), target))
        for temporary, target in staged:
            _put_in_place(temporary, target)
    except BaseException:
        for temporary, _ in staged:
            _unlink_if_there(temporary)
        _remove_empty(made)
        raise
    return [target for _, target in staged]


def check_writable(paths: list[str | os.PathLike[str]]) -> None:
    """Raise the OSError that writing each of ``paths`` would meet, before any work.

    Each is tried for real: an empty temporary file is made beside it (its folders
    too) and removed again, with the folders this made, so a read-only folder, a
    full disk, ``/proc`` or a file in the way is found in a moment, not after a
    minute of rendering, and nothing is left behind.
    """
    targets = [Path(path) for path in paths]
    made = _missing_folders([target.parent for target in targets])
    try:
        for target in targets:
            _unlink_if_there(_staged(target, b""))
    finally:
        _remove_empty(made)


def _missing_folders(folders: list[Path]) -> list[Path]:
    """The folders (and their parents) that do not exist yet, deepest first."""
    missing: set[Path] = set()
    for folder in folders:
        for part in (folder, *folder.parents):
            if part.exists() or part.is_symlink():
                break
            missing.add(part)
    return sorted(missing, key=lambda part: len(part.parts), reverse=True)


def _remove_empty(folders: list[Path]) -> None:
    """Remove these folders where they are empty (deepest first), ignoring the rest."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def _staged(target: Path, data: bytes) -> Path:
    """``data`` written whole and synced to a new temporary file beside ``target``."""
    view = memoryview(data)  # a TypeError for str, before anything is touched
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    mode = _kept_mode(target)
    part = _name_part(target.name, folder)
    _remove_stale_temporaries(folder, part)
    descriptor, temporary = _create_temporary(folder, part, 0o666 if mode is None else mode)
    try:
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(descriptor, mode)  # the bits the umask took away, as the old file
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except BaseException:
        _unlink_if_there(temporary)
        raise
    return Path(temporary)


def _put_in_place(temporary: Path, target: Path) -> None:
    """The staged file renamed over ``target`` (one atomic step), and the rename synced."""
    try:
        os.replace(temporary, target)
    except BaseException:
        _unlink_if_there(temporary)
        raise
    _sync_folder(target.parent)


def _unlink_if_there(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _kept_mode(target: Path) -> int | None:
    """The permission bits of the file being replaced, or None for a new file."""
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(target))
    if not stat.S_ISREG(status.st_mode):  # a named pipe, a device, a socket: never replaced
        kind = "a named pipe" if stat.S_ISFIFO(status.st_mode) else "a device or socket"
        raise OSError(errno.EINVAL, f"it is {kind}, not a regular file", os.fspath(target))
    if not os.access(target, os.W_OK):  # as `echo > file` would refuse it
        raise PermissionError(errno.EACCES, "the file is read-only", os.fspath(target))
    return stat.S_IMODE(status.st_mode) & 0o777


def _name_part(name: str, folder: Path) -> str:
    """The target's name, cut so the temporary name fits the folder's name limit."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows) or no answer
        limit = 255
    overhead = len(f"..{'0' * _RANDOM_DIGITS}{TEMPORARY_SUFFIX}")
    room = max(1, min(TEMPORARY_NAME_PART, limit - overhead))
    part = name
    while len(os.fsencode(part)) > room:  # cut whole characters, counting bytes
        part = part[:-1]
    return part


def _temporary_pattern(part: str) -> re.Pattern[str]:
    return re.compile(
        rf"\.{re.escape(part)}\.[0-9a-f]{{{_RANDOM_DIGITS}}}{re.escape(TEMPORARY_SUFFIX)}"
    )


def _create_temporary(folder: Path, part: str, mode: int) -> tuple[int, str]:
    """Create and open a new temporary file; the kernel applies the umask to ``mode``."""
    for _ in range(100):
        name = f".{part}.{secrets.token_hex(_RANDOM_DIGITS // 2)}{TEMPORARY_SUFFIX}"
        temporary = os.path.join(folder, name)
        try:
            return os.open(temporary, _CREATE, mode), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", os.fspath(folder))


def _remove_stale_temporaries(folder: Path, part: str) -> None:
    """Remove this target's temporary files older than ``STALE_TEMPORARY_SECONDS``.

    Best effort: a file that cannot be examined or removed is left alone.
    """
    prefix = f".{part}."
    pattern = _temporary_pattern(part)
    oldest_kept = time.time() - STALE_TEMPORARY_SECONDS
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(TEMPORARY_SUFFIX)):
                continue
            if not pattern.fullmatch(name):
                continue
            try:
                status = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(status.st_mode) and status.st_mtime < oldest_kept:
                    os.unlink(entry.path)
            except OSError:
                continue


def _sync_folder(folder: Path) -> None:
    """``fsync`` the folder so the rename itself survives a crash.

    Folders that cannot be opened or synced (Windows, some network file systems) are
    skipped; a real I/O error is raised (the new file is then in place, but may not
    survive a power cut).
    """
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES):
            raise
    finally:
        os.close(descriptor)
