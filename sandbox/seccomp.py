"""A small seccomp filter for boxes: deny the system calls learner code never needs.

The filter is built here as classic BPF so the sandbox needs no extra library; bubblewrap
loads it (``--seccomp FD``) just before it starts the box's program.  Denied: tracing other
processes, namespaces and mounts, kernel keyrings, BPF, perf, io_uring, module loading and
clock or host settings.  ``clone`` with a namespace flag fails with EPERM; ``clone3`` fails
with ENOSYS so the C library falls back to ``clone``, whose flags the filter can inspect.
"""

from __future__ import annotations

import errno
import platform
import struct

_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _KILL, _ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
_NS_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

_DENIED_NAMES = [
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "open_by_handle_at",
    "name_to_handle_at",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "acct",
    "swapon",
    "swapoff",
    "reboot",
    "sethostname",
    "setdomainname",
    "quotactl",
    "syslog",
    "settimeofday",
    "clock_settime",
    "adjtimex",
    "vhangup",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
]

_COMMON_NEW = {
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "clone3": 435,
}

TABLES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (
        0xC000003E,
        {
            "ptrace": 101,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "mount": 165,
            "umount2": 166,
            "pivot_root": 155,
            "chroot": 161,
            "unshare": 272,
            "setns": 308,
            "keyctl": 250,
            "add_key": 248,
            "request_key": 249,
            "bpf": 321,
            "perf_event_open": 298,
            "userfaultfd": 323,
            "kexec_load": 246,
            "kexec_file_load": 320,
            "init_module": 175,
            "finit_module": 313,
            "delete_module": 176,
            "open_by_handle_at": 304,
            "name_to_handle_at": 303,
            "acct": 163,
            "swapon": 167,
            "swapoff": 168,
            "reboot": 169,
            "sethostname": 170,
            "setdomainname": 171,
            "quotactl": 179,
            "syslog": 103,
            "settimeofday": 164,
            "clock_settime": 227,
            "adjtimex": 159,
            "vhangup": 153,
            "clone": 56,
            **_COMMON_NEW,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "ptrace": 117,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "mount": 40,
            "umount2": 39,
            "pivot_root": 41,
            "chroot": 51,
            "unshare": 97,
            "setns": 268,
            "keyctl": 219,
            "add_key": 217,
            "request_key": 218,
            "bpf": 280,
            "perf_event_open": 241,
            "userfaultfd": 282,
            "kexec_load": 104,
            "kexec_file_load": 294,
            "init_module": 105,
            "finit_module": 273,
            "delete_module": 106,
            "open_by_handle_at": 265,
            "name_to_handle_at": 264,
            "acct": 89,
            "swapon": 224,
            "swapoff": 225,
            "reboot": 142,
            "sethostname": 161,
            "setdomainname": 162,
            "quotactl": 60,
            "syslog": 116,
            "settimeofday": 170,
            "clock_settime": 112,
            "adjtimex": 171,
            "vhangup": 58,
            "clone": 220,
            **_COMMON_NEW,
        },
    ),
}


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def build_filter(machine: str | None = None) -> bytes | None:
    """Return the compiled filter for this machine, or None for an architecture not covered."""
    table = TABLES.get(machine or platform.machine())
    if table is None:
        return None
    arch, numbers = table
    prog = [_op(_LD_W_ABS, 4), _op(_JEQ, arch, 1, 0), _op(_RET, _KILL), _op(_LD_W_ABS, 0)]
    if arch == TABLES["x86_64"][0]:
        prog.append(_op(_JGE, 0x40000000, 0, 1))  # the x32 ABI: another table, never needed
        prog.append(_op(_RET, _ERRNO | errno.ENOSYS))
    for name in _DENIED_NAMES:
        prog += [_op(_JEQ, numbers[name], 0, 1), _op(_RET, _ERRNO | errno.EPERM)]
    prog += [_op(_JEQ, numbers["clone3"], 0, 1), _op(_RET, _ERRNO | errno.ENOSYS)]
    prog += [
        _op(_JEQ, numbers["clone"], 0, 3),
        _op(_LD_W_ABS, 16),  # low half of the first argument: the clone flags
        _op(_JSET, _NS_FLAGS, 0, 1),
        _op(_RET, _ERRNO | errno.EPERM),
        _op(_RET, _ALLOW),
    ]
    return b"".join(prog)
