#!/usr/bin/env python3
"""sd_notify protocol check for the kiosk and central (issue 11), without systemd.

    notify_check.py [--watchdog-usec N] [--observe S] [--hang-after-ms MS --hang-env VAR] -- COMMAND...

Binds a datagram socket, starts COMMAND with NOTIFY_SOCKET pointing at it, WATCHDOG_USEC=N and WATCHDOG_PID set
to a PID that is *not* the command's (as under cage, where the service's main process is cage), then checks:
  - READY=1 arrives (after the first frame / once the server listens);
  - WATCHDOG=1 keeps arriving at least every N/2 µs (plus slack) for --observe seconds;
  - a STATUS= line arrives;
  - with --hang-after-ms, VAR=MS is passed to the command (its test hook freezes the UI thread / server loop after
    MS ms) and the pings must stop: none later than one ping interval after the hang.
Exit 0 when all hold; prints what it saw. Wired into ctest by tests/packaging/CMakeLists.txt (`ctest -L notify`);
the kiosk runs under xvfb-run.
"""
import argparse, os, signal, socket, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--watchdog-usec", type=int, default=2_000_000)
ap.add_argument("--ready-timeout", type=float, default=30.0)
ap.add_argument("--observe", type=float, default=6.0)
ap.add_argument("--hang-after-ms", type=int, default=0)
ap.add_argument("--hang-env", default="BATCHIVO_TEST_HANG_AFTER_MS")
ap.add_argument("cmd", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
if not cmd:
    sys.exit("notify_check: no command")

tmp = tempfile.mkdtemp(prefix="batchivo-notify.")
path = os.path.join(tmp, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.1)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC=str(a.watchdog_usec), WATCHDOG_PID=str(os.getpid()))
if a.hang_after_ms:
    env[a.hang_env] = str(a.hang_after_ms)
start = time.monotonic()
proc = subprocess.Popen(cmd, env=env)
msgs = []  # (seconds since start, line)

def pump(until):
    while time.monotonic() < until and proc.poll() is None:
        try:
            data = sock.recv(4096).decode(errors="replace")
        except socket.timeout:
            continue
        for line in data.splitlines():
            msgs.append((time.monotonic() - start, line))

ok = True
try:
    deadline = start + a.ready_timeout
    while time.monotonic() < deadline and not any(m == "READY=1" for _, m in msgs) and proc.poll() is None:
        pump(min(deadline, time.monotonic() + 0.2))
    ready = next((t for t, m in msgs if m == "READY=1"), None)
    if ready is None:
        print("FAIL: no READY=1 within %.0f s" % a.ready_timeout); ok = False
    else:
        pump(start + ready + a.observe)
        pings = [t for t, m in msgs if m == "WATCHDOG=1" and t >= ready]
        interval = a.watchdog_usec / 2e6
        slack = interval + 0.5
        if a.hang_after_ms:
            hang_at = a.hang_after_ms / 1000.0
            late = [t for t in pings if t > hang_at + slack]
            if late:
                print("FAIL: WATCHDOG=1 still sent %.2f s after the scripted hang at %.2f s" % (late[-1], hang_at)); ok = False
            if not [t for t in pings if t <= hang_at + slack]:
                print("FAIL: no WATCHDOG=1 before the hang"); ok = False
        else:
            edges = [ready] + pings + [ready + a.observe]
            gaps = [b - x for x, b in zip(edges, edges[1:])]
            if not pings or max(gaps) > slack:
                print("FAIL: watchdog gap %.2f s > %.2f s (pings %d)" % (max(gaps), slack, len(pings))); ok = False
        if not any(m.startswith("STATUS=") for _, m in msgs):
            print("FAIL: no STATUS="); ok = False
finally:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    sock.close()
    os.unlink(path)
    os.rmdir(tmp)
for t, m in msgs[:40]:
    print("%7.3f %s" % (t, m))
print("ok" if ok else "notify_check: FAILED")
sys.exit(0 if ok else 1)
