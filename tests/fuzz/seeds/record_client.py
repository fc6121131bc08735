#!/usr/bin/env python3
"""Records what a real client sends, for the wire fuzz corpus (tests/fuzz/corpus/wire/).

A TCP proxy (a thread per connection) on 127.0.0.1:LISTEN_PORT in front of a real server on
127.0.0.1:SERVER_PORT (a throwaway PostgreSQL 15, see tests/fuzz/README.md): every byte the client
sends on connection i is written to OUT_PREFIX-i. Server bytes pass through untouched. It stops
after --connections connections or --seconds seconds, whichever comes first.

  record_client.py LISTEN_PORT SERVER_PORT OUT_PREFIX [--connections N] [--seconds S]
"""
import argparse
import select
import socket
import threading
import time


def relay(client, server, out):
    """Copies bytes both ways until either side closes; logs the client's bytes to `out`."""
    peers = {client: server, server: client}
    while True:
        ready, _, _ = select.select([client, server], [], [], 30)
        if not ready:
            return
        for s in ready:
            data = s.recv(65536)
            if not data:
                return
            if s is client:
                out.write(data)
            peers[s].sendall(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("listen_port", type=int)
    p.add_argument("server_port", type=int)
    p.add_argument("out_prefix")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--seconds", type=float, default=120)
    a = p.parse_args()
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", a.listen_port))
    lsock.listen(1)
    deadline = time.time() + a.seconds
    threads = []
    for i in range(a.connections):
        lsock.settimeout(max(0.1, deadline - time.time()))
        try:
            client, _ = lsock.accept()
        except socket.timeout:
            break
        t = threading.Thread(target=serve, args=(client, a.server_port, f"{a.out_prefix}-{i}"))
        t.start()
        threads.append(t)
    for t in threads:
        t.join(max(0.1, deadline - time.time()))


def serve(client, server_port, path):
    server = socket.create_connection(("127.0.0.1", server_port))
    with open(path, "wb") as out:
        relay(client, server, out)
    client.close()
    server.close()

if __name__ == "__main__":
    main()
