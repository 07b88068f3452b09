"""A user-space ICMP echo responder for tests, run inside a test host's namespace.

It stands in for the host's kernel (which must not answer pings itself,
net.ipv4.icmp_echo_ignore_all=1) to play a slow host (``--delay-ms``) or an impostor whose
replies match the request's source, identifier and sequence but not its payload (``--tamper``).
Prints ``ready`` once it listens.
"""

import argparse
import socket
import struct
import threading

from collectors.probes.icmp import checksum

HEADER = struct.Struct("!BBHHH")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--tamper", action="store_true")
    args = parser.parse_args()
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as sock:
        print("ready", flush=True)
        while True:
            packet, (source, _) = sock.recvfrom(2048)
            icmp = packet[(packet[0] & 0x0F) * 4:]
            kind, _, _, ident, seq = HEADER.unpack_from(icmp)
            if kind != 8:
                continue
            payload = icmp[HEADER.size:]
            if args.tamper:
                payload = bytes(b ^ 0xFF for b in payload)
            reply = HEADER.pack(0, 0, checksum(HEADER.pack(0, 0, 0, ident, seq) + payload), ident, seq) + payload
            threading.Timer(args.delay_ms / 1000, sock.sendto, (reply, (source, 0))).start()


if __name__ == "__main__":
    main()
