"""Host side of a box's work dir: create it (size-capped when possible), fill, read, remove.

After a run the work dir holds whatever the learner's program left there, so every access
from the host opens paths relative to a trusted directory descriptor and never follows a
symbolic link.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from sandbox.spec import Limits

NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


class WorkDir:
    """A private directory for one box, on its own capped tmpfs where the host allows it."""

    def __init__(self, base: Path, limits: Limits, *, mount: bool = True, owner: int | None = None):
        base.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="box-", dir=base))
        self.path = self.root / "work"  # what the box sees
        self.private = self.root / "host"  # grader inputs, never visible to the first box
        self.mounted = False
        self.path.mkdir()
        self.private.mkdir()
        os.chmod(self.root, 0o711)  # boxes run as other uids: they may pass, not list
        os.chmod(self.private, 0o711)
        if mount and os.geteuid() == 0:
            self.mounted = _mount_tmpfs(self.path, limits.disk_mb, limits.disk_inodes)
        os.chmod(self.path, 0o777)  # the box's user differs from the worker's
        if owner is not None:
            os.chown(self.path, owner, owner)

    def write_files(self, files: dict[str, str | bytes]) -> None:
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode() if isinstance(content, str) else content
            target.write_bytes(data)
            os.chmod(target, 0o666)

    def put_private(self, name: str, data: bytes) -> Path:
        target = self.private / name
        target.write_bytes(data)
        os.chmod(target, 0o644)
        return target

    def replace_file(self, name: str, data: bytes) -> None:
        """Write a top-level file of the work dir, removing whatever the run left under it."""
        dir_fd = os.open(self.path, os.O_DIRECTORY | NOFOLLOW)
        try:
            with contextlib.suppress(FileNotFoundError):
                info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    _rmtree_at(dir_fd, name)
                else:
                    os.unlink(name, dir_fd=dir_fd)
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644, dir_fd=dir_fd)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        finally:
            os.close(dir_fd)

    def copy_artifacts(self, dest: Path, limits: Limits) -> tuple[list[str], list[str]]:
        """Copy regular files of outputs/ to dest, within the caps; return copied, warnings."""
        copied: list[str] = []
        warnings: list[str] = []
        per_file, total_cap = limits.artifact_mb << 20, limits.artifacts_total_mb << 20
        total = 0
        try:
            top = os.open(self.path, os.O_DIRECTORY | NOFOLLOW)
        except OSError:
            return copied, ["the work dir could not be read"]
        try:
            try:
                outputs = os.open("outputs", os.O_DIRECTORY | NOFOLLOW | os.O_RDONLY, dir_fd=top)
            except OSError:
                return copied, warnings  # no outputs/ (or not a real directory): nothing to keep
            try:
                dest.mkdir(parents=True, exist_ok=True)
                for name in sorted(os.listdir(outputs))[:1000]:
                    try:
                        fd = os.open(name, os.O_RDONLY | NOFOLLOW | os.O_NONBLOCK, dir_fd=outputs)
                    except OSError:
                        warnings.append(f"artifact {name!r} was skipped: not a regular file")
                        continue
                    with os.fdopen(fd, "rb") as source:
                        info = os.fstat(source.fileno())
                        if not stat.S_ISREG(info.st_mode):
                            warnings.append(f"artifact {name!r} was skipped: not a regular file")
                        elif info.st_size > per_file or total + info.st_size > total_cap:
                            warnings.append(
                                f"artifact {name!r} was not kept: {info.st_size} bytes is over "
                                f"the {limits.artifact_mb} MB limit per artifact "
                                f"({limits.artifacts_total_mb} MB in all)"
                            )
                        else:
                            with open(dest / name, "wb") as out:
                                total += _copy_capped(source, out, per_file)
                            copied.append(name)
            finally:
                os.close(outputs)
        finally:
            os.close(top)
        return copied, warnings

    def remove(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _copy_capped(source: object, out: object, cap: int) -> int:
    written = 0
    while written <= cap:
        chunk = source.read(1 << 20)  # type: ignore[attr-defined]
        if not chunk:
            break
        out.write(chunk[: cap - written])  # type: ignore[attr-defined]
        written += len(chunk)
    return min(written, cap)


def _rmtree_at(dir_fd: int, name: str) -> None:
    fd = os.open(name, os.O_DIRECTORY | NOFOLLOW, dir_fd=dir_fd)
    try:
        for entry in os.listdir(fd):
            info = os.stat(entry, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                _rmtree_at(fd, entry)
            else:
                os.unlink(entry, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(name, dir_fd=dir_fd)


def _mount_tmpfs(path: Path, size_mb: int, inodes: int) -> bool:
    options = f"size={size_mb}m,nr_inodes={inodes},mode=0755,nosuid,nodev"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=False, capture_output=True
    )
    return done.returncode == 0
