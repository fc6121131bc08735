#!/usr/bin/env python3
"""Raw-socket clients for cluster_trust_test.sh: they speak just enough of the cluster RPC
(server/rpc_channel.h, server/rpc_handshake.h) and of the PostgreSQL startup protocol to probe
what a real client library would hide. Every socket operation has a timeout. Each subcommand
prints one line and exits 0 when the server behaved as expected, 1 otherwise.

  rpc-unauthenticated PORT        a well-formed COLLECT_GARBAGE frame with no handshake: dropped
  rpc-ping PORT SECRET_FILE       handshake with the secret, then PING: answered with ACK
  rpc-wrong-secret PORT           handshake with a wrong secret: the server's proof does not
                                  verify, and after our (wrong) proof and a PING: dropped
  pg-limit PORT MAX               MAX sessions log in, the next gets 53300, and after one leaves
                                  another gets in
  pg-silent PORT LOW HIGH         a connection that sends nothing is closed after LOW..HIGH s
"""
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

RPC_MAGIC = 0x41525453  # "STRA"
COLLECT_GARBAGE, PING, ACK = 13, 10, 6
SERVER_LABEL = b"strata cluster rpc v1: server proof\0"
CLIENT_LABEL = b"strata cluster rpc v1: client proof\0"


def frame(msg_type, payload=b"", query_id=0):
    return struct.pack("<IHHQI", RPC_MAGIC, 1, msg_type, query_id, len(payload)) + payload


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def dropped(s, wait=5.0):
    """True when the peer closes (or resets) the connection without sending a byte back."""
    s.settimeout(wait)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def handshake(s, key):
    """Runs the client side; returns whether the server's proof verified."""
    nonce_c = os.urandom(32)
    s.sendall(b"SAUT" + nonce_c)
    challenge = recv_exact(s, 64)
    if challenge is None:
        return False
    nonce_s, server_mac = challenge[:32], challenge[32:]
    ok = hmac.compare_digest(server_mac, hmac.new(key, SERVER_LABEL + nonce_c + nonce_s, hashlib.sha256).digest())
    s.sendall(hmac.new(key, CLIENT_LABEL + nonce_c + nonce_s, hashlib.sha256).digest())
    return ok


def rpc_unauthenticated(port):
    # GarbageRequest{live_manifests: ["none"]}: with no live manifest, every block would go.
    live = b"no-such-manifest-0000000000"
    payload = b"\x0a" + bytes([len(live)]) + live
    s = connect(port)
    s.sendall(frame(COLLECT_GARBAGE, payload))
    return dropped(s), "unauthenticated gc frame"


def rpc_ping(port, secret_file):
    key = open(secret_file, "rb").read().strip()
    s = connect(port)
    if not handshake(s, key):
        return False, "server proof did not verify"
    s.sendall(frame(PING, b"", 77))
    header = recv_exact(s, 20)
    if header is None:
        return False, "no reply to PING"
    _, _, msg_type, query_id, _ = struct.unpack("<IHHQI", header)
    return msg_type == ACK and query_id == 77, "authenticated ping"


def rpc_wrong_secret(port):
    s = connect(port)
    server_ok = handshake(s, b"not-the-cluster-secret-0123456789abcdef")
    s.sendall(frame(PING))
    return (not server_ok) and dropped(s), "wrong secret"


def pg_startup(s):
    body = struct.pack("!I", 196608) + b"user\0strata\0database\0dev\0\0"
    s.sendall(struct.pack("!I", len(body) + 4) + body)


def pg_read_until_ready(s):
    """Returns ('ready', None) or ('error', sqlstate) or ('closed', None)."""
    while True:
        header = recv_exact(s, 5)
        if header is None:
            return "closed", None
        msg_type, length = header[:1], struct.unpack("!I", header[1:])[0]
        body = recv_exact(s, length - 4)
        if body is None:
            return "closed", None
        if msg_type == b"Z":
            return "ready", None
        if msg_type == b"E":
            fields = dict((f[:1], f[1:]) for f in body.split(b"\0") if f)
            return "error", fields.get(b"C", b"").decode()


def pg_login(port):
    s = connect(port)
    pg_startup(s)
    return s, pg_read_until_ready(s)


def pg_limit(port, max_connections):
    held = []
    for i in range(max_connections):
        s, (state, code) = pg_login(port)
        if state != "ready":
            return False, f"session {i + 1} of {max_connections}: {state} {code}"
        held.append(s)
    extra, (state, code) = pg_login(port)
    if state != "error" or code != "53300" or not dropped(extra):
        return False, f"session {max_connections + 1}: {state} {code}, want error 53300"
    held.pop().close()
    for _ in range(50):  # the server notices the departure asynchronously
        s, (state, code) = pg_login(port)
        if state == "ready":
            return True, f"{max_connections} sessions, the next refused with 53300, room again after one left"
        time.sleep(0.1)
    return False, f"no room after a session left: {state} {code}"


def pg_silent(port, low, high):
    s = connect(port)
    start = time.monotonic()
    closed = dropped(s, wait=high)
    took = time.monotonic() - start
    return closed and low <= took <= high, f"silent connection closed after {took:.1f} s"


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "rpc-unauthenticated":
        ok, what = rpc_unauthenticated(int(args[0]))
    elif cmd == "rpc-ping":
        ok, what = rpc_ping(int(args[0]), args[1])
    elif cmd == "rpc-wrong-secret":
        ok, what = rpc_wrong_secret(int(args[0]))
    elif cmd == "pg-limit":
        ok, what = pg_limit(int(args[0]), int(args[1]))
    elif cmd == "pg-silent":
        ok, what = pg_silent(int(args[0]), float(args[1]), float(args[2]))
    else:
        print(f"unknown subcommand {cmd}")
        return 2
    print(("ok: " if ok else "FAILED: ") + what)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
