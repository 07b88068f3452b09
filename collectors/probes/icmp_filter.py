"""Kernel-side filtering of raw ICMP sockets (Linux classic BPF).

A raw ICMP socket receives a copy of every ICMP packet the machine gets. With hundreds of probes
running at once, each socket would wake for, parse and buffer every other probe's replies, which
costs CPU and, once the receive buffer fills, drops the socket's own replies as false loss.
Attaching a filter that keeps only echo replies carrying the socket's identifier makes a raw
socket behave like an unprivileged ICMP datagram socket, where the kernel does this itself.
The probe still checks every reply it reads; the filter only saves work.
"""

from __future__ import annotations

import ctypes
import socket
import struct
import sys

_SO_ATTACH_FILTER = 26
_INSTRUCTION = struct.Struct("@HBBI")
_PROGRAM = struct.Struct("@HP")

_LDX_IP_HEADER_LENGTH = 0xB1  # X = 4 * (packet[0] & 0x0f)
_LD_BYTE_AT_X = 0x50  # A = packet[X + k]
_LD_HALF_AT_X = 0x48  # A = packet[X + k : X + k + 2]
_JUMP_IF_EQUAL = 0x15
_RETURN = 0x06


def echo_reply_program(ident: int, reply_type: int, ip_header: bool) -> list[tuple[int, int, int, int]]:
    """Return the BPF instructions accepting only echo replies with identifier ``ident``.

    ``ip_header`` says whether the socket sees the IPv4 header before the ICMP header (raw IPv4
    sockets do, raw IPv6 sockets do not).
    """
    program = [(_LDX_IP_HEADER_LENGTH, 0, 0, 0)] if ip_header else []
    return program + [
        (_LD_BYTE_AT_X, 0, 0, 0),
        (_JUMP_IF_EQUAL, 0, 3, reply_type),
        (_LD_HALF_AT_X, 0, 0, 4),
        (_JUMP_IF_EQUAL, 0, 1, ident),
        (_RETURN, 0, 0, 0xFFFF),
        (_RETURN, 0, 0, 0),
    ]


def attach_echo_reply_filter(sock: socket.socket, ident: int, reply_type: int, ip_header: bool) -> None:
    """Attach the echo-reply filter to ``sock`` (Linux only; elsewhere the probe filters alone)."""
    if sys.platform != "linux":
        return
    instructions = echo_reply_program(ident, reply_type, ip_header)
    code = ctypes.create_string_buffer(b"".join(_INSTRUCTION.pack(*i) for i in instructions))
    sock.setsockopt(socket.SOL_SOCKET, _SO_ATTACH_FILTER, _PROGRAM.pack(len(instructions), ctypes.addressof(code)))
