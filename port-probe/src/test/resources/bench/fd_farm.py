"""Benchmark helper: fill the machine with processes holding many descriptors, as a busy host would have.

usage: fd_farm.py PROCESSES DESCRIPTORS_PER_PROCESS
Starts PROCESSES `sleep 600` children that each hold DESCRIPTORS_PER_PROCESS descriptors (stdin, stdout, stderr,
then /dev/null files with one unbound socket in ten), prints "ready <total descriptors>", and kills them all when its
standard input closes. The children also die with it (PR_SET_PDEATHSIG) and end by themselves after ten minutes.
"""
import ctypes
import os
import signal
import socket
import subprocess
import sys

processes, per_process = int(sys.argv[1]), int(sys.argv[2])
held = []
fds = []
for i in range(per_process - 3):
    if i % 10 == 0:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        held.append(s)
        fd = s.fileno()
    else:
        fd = os.open("/dev/null", os.O_RDONLY)
    os.set_inheritable(fd, True)
    fds.append(fd)

libc = ctypes.CDLL(None, use_errno=True)


def die_with_parent():
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


children = []
try:
    for _ in range(processes):
        children.append(subprocess.Popen(["sleep", "600"], pass_fds=fds, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         preexec_fn=die_with_parent))
    print("ready %d" % (processes * per_process), flush=True)
    sys.stdin.read()
finally:
    for c in children:
        c.kill()
    for c in children:
        c.wait()
