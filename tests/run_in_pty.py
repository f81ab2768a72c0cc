"""Runs a command with its standard error on a pseudo-terminal (so it is a TTY to the
command) and its standard output on a pipe, as a responder's terminal would see a command
whose report is redirected. Prints {"exit": CODE, "stdout": TEXT, "tty": TEXT} as JSON: the
tty text is every byte the command wrote to the terminal (carriage returns and escapes kept).

  run_in_pty.py [--cols N] [--hangup] PROGRAM ARG...     (the environment is this process's)

--cols N gives the terminal N columns (else the pty's default, 0: unknown). --hangup closes
the terminal at once, as a dropped SSH session does: the command's writes to it then fail
(EIO) while it goes on; "tty" is then empty.
"""
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios


def main(argv):
    cols, hangup = 0, False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--cols":
            cols, argv = int(argv[1]), argv[2:]
        elif argv[0] == "--hangup":
            hangup, argv = True, argv[1:]
        else:
            raise SystemExit(f"run_in_pty.py: unknown option {argv[0]}")
    master, slave = os.openpty()
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, close_fds=True)
    os.close(slave)
    if hangup:
        os.close(master)
        out = child.stdout.read()
        code = child.wait()
        print(json.dumps({"exit": code, "stdout": out.decode("utf-8", "replace"), "tty": ""}))
        return 0
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
