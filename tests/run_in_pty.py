"""Runs a command with its standard error on a pseudo-terminal (so it is a TTY to the
command) and its standard output on a pipe, as a responder's terminal would see a command
whose report is redirected. Prints {"exit": CODE, "stdout": TEXT, "tty": TEXT} as JSON: the
tty text is every byte the command wrote to the terminal (carriage returns and escapes kept).

  run_in_pty.py PROGRAM ARG...     (the environment is this process's)
"""
import json
import os
import select
import subprocess
import sys


def main(argv):
    master, slave = os.openpty()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, close_fds=True)
    os.close(slave)
    tty, out = bytearray(), bytearray()
    streams = {master: tty, child.stdout.fileno(): out}
    while streams:
        ready, _, _ = select.select(list(streams), [], [])
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's last writer closed it
                chunk = b""
            if chunk:
                streams[fd].extend(chunk)
            else:
                del streams[fd]
    os.close(master)
    code = child.wait()
    print(json.dumps({"exit": code, "stdout": out.decode("utf-8", "replace"), "tty": tty.decode("utf-8", "replace")}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
