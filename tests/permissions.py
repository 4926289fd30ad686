"""File permissions that hold for the test process even when it runs as root.

Root ignores file modes through two capabilities (override and read-search); ``enforced()``
lowers them from the calling thread's effective set for the duration of a ``with`` block, so a
``chmod 000`` file is really unreadable and a ``chmod 555`` folder really unwritable. For anyone
else the modes hold already and it changes nothing.
"""

from __future__ import annotations

import ctypes
import os
from contextlib import contextmanager

_VERSION_3 = 0x20080522
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _call(name: str, data) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    header = _Header(_VERSION_3, 0)
    if getattr(libc, name)(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), f"{name} failed")


@contextmanager
def enforced():
    if os.geteuid() != 0:
        yield
        return
    data = (_Data * 2)()
    _call("capget", data)
    saved = data[0].effective
    data[0].effective = saved & ~((1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH))
    _call("capset", data)
    try:
        yield
    finally:
        data[0].effective = saved
        _call("capset", data)
