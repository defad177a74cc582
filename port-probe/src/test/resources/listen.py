"""Test helper: hold sockets until killed (at most two minutes).

usage: listen.py [--ignore-term] [--zombie] [--run COMMAND] (tcp|udp) ADDRESS PORT [(tcp|udp) ADDRESS PORT ...]
Prints "ready" once every socket is bound (and listening, for TCP). With --ignore-term, SIGTERM is ignored; with
--zombie, a child is forked that exits at once and is never reaped, and its pid is printed after "ready". With --run,
COMMAND then runs under `bash -c` (a child of this listener) and its output is relayed, then "exit <status>".
"""
import os
import signal
import socket
import subprocess
import sys
import time

args = sys.argv[1:]
if args and args[0] == "--ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    args = args[1:]
zombie = None
if args and args[0] == "--zombie":
    zombie = os.fork()
    if zombie == 0:
        os._exit(0)
    args = args[1:]
run = None
if args and args[0] == "--run":
    run, args = args[1], args[2:]
held = []
while args:
    kind, address, port = args[0], args[1], int(args[2])
    args = args[3:]
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    if family == socket.AF_INET6 and address == "::":
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((address, port))
    if kind == "tcp":
        s.listen(16)
    held.append(s)
print("ready" if zombie is None else "ready %d" % zombie, flush=True)
if run is not None:
    done = subprocess.run(["bash", "-c", run], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    print(done.stdout.decode("utf-8", "replace").rstrip("\n"), flush=True)
    print("exit %d" % done.returncode, flush=True)
time.sleep(120)
