#!/usr/bin/env python3
"""End-to-end figures for the real binary in a pseudo-terminal, beside whiptail's.

    python3 benches/measure.py [--bin target/release/tshoot] [--library DIR] [--runs N]

Prints, for a 120x40 pseudo-terminal:
  - time from start to the first complete frame of `tshoot AADSTS50143` (median of N runs),
    and of `whiptail --checklist` of the same size when whiptail is installed, with the ratio;
  - bytes written per navigation keystroke (Down in the answers, in the checklist, in the
    picker), and whiptail's for Down in its checklist;
  - peak resident memory (VmHWM) and CPU time over 10 idle seconds;
  - with --library DIR (see benches/gen_library.py): `tshoot list` and the picker's first
    frame over that library, cold (no index cache) and warm (median of N), the time per typed
    key in the picker (from sending the key to the last byte of the frame it causes, median
    and 90th percentile over every key of several queries, a typo-only one among them), the
    filtering alone per key in process (benches/picker_keys.rs, same queries; build it with
    `cargo build --release --example picker_keys`), and the picker's peak memory; each
    beside its budget from issue 7.

Only the standard library: pty, os, select, time.
"""
import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

COLS, ROWS = 120, 40


class Pty:
    """A child process on a pseudo-terminal of COLS x ROWS, with its output collected."""

    def __init__(self, argv, env):
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.pid, self.fd, self.out = pid, fd, bytearray()
        self.t0 = time.perf_counter()

    def read_until(self, needle, timeout=10.0):
        """Read until `needle` is in the output; return the seconds since start, or None."""
        deadline = time.perf_counter() + timeout
        while needle not in self.out:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return None
                if not chunk:
                    return None
                self.out += chunk
        return time.perf_counter() - self.t0

    def drain(self, quiet=0.15, timeout=3.0):
        """Read until nothing arrives for `quiet` seconds; return the bytes read."""
        got = bytearray()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        self.out += got
        return bytes(got)

    def send(self, data):
        os.write(self.fd, data)

    def stat_cpu(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def hwm_kb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def base_env(tmp):
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(TERM="xterm-256color", HOME=tmp, XDG_CONFIG_HOME=f"{tmp}/config",
               XDG_DATA_HOME=f"{tmp}/data", XDG_CACHE_HOME=f"{tmp}/cache", TSHOOT_DATA_DIR=f"{tmp}/data")
    return env


def per_key(p, keys, n=10):
    """Median and max bytes written per keystroke, cycling through `keys` (down then up, so
    the highlight stays inside a short list and every press really moves it)."""
    sizes = []
    for i in range(n):
        p.send(keys[i % len(keys)])
        sizes.append(len(p.drain()))
    return statistics.median(sizes), max(sizes)


def measure_tshoot(binary, runs, env):
    firsts = []
    for _ in range(runs):
        p = Pty([binary, "AADSTS50143"], env)
        t = p.read_until(b"quit")
        p.close()
        if t is not None:
            firsts.append(t)
    p = Pty([binary, "AADSTS50143"], env)
    p.read_until(b"quit")
    p.drain()
    answers = per_key(p, [b"j", b"k"], 10)
    # Resolution checklist: Tab Tab then Down.
    p.send(b"\t\t")
    p.drain()
    tasks = per_key(p, [b"j", b"j", b"k", b"k"], 12)
    cpu0 = p.stat_cpu()
    time.sleep(10)
    idle = p.stat_cpu() - cpu0
    hwm = p.hwm_kb()
    p.close()
    return firsts, answers, tasks, idle, hwm


# Queries typed one key at a time in the picker: words as they are, an id, and typos only.
TYPED = ["session mismatch", "aadsts5512", "tenat hnt", "sesn mismtch", "certfcate"]


def frame_after(p, t0, quiet=0.05, timeout=3.0):
    """Seconds from `t0` to the last byte of the frame that follows, or None. The frame is
    over when nothing more arrives for `quiet` seconds (not counted)."""
    last = None
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        r, _, _ = select.select([p.fd], [], [], quiet if last else deadline - time.perf_counter())
        if not r:
            break
        try:
            chunk = os.read(p.fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        last = time.perf_counter()
        p.out += chunk
    return None if last is None else last - t0


def measure_picker(binary, env, library, typing=False):
    """First frame, bytes per Down, and with `typing` the seconds per typed key and VmHWM."""
    env = dict(env, TSHOOT_GUIDES=library) if library else env
    p = Pty([binary], env)
    t = p.read_until(b"find a guide", timeout=60)
    p.read_until(b"quit", timeout=0.5)
    p.drain()
    down = per_key(p, [b"\x1b[B", b"\x1b[A"], 10)
    keys = []
    if typing:
        for q in TYPED:
            for ch in q:
                t0 = time.perf_counter()
                p.send(ch.encode())
                k = frame_after(p, t0)
                if k is not None:
                    keys.append(k)
            p.send(b"\x15")  # Ctrl-U clears the query
            p.drain()
    hwm = p.hwm_kb()
    p.close()
    return t, down, keys, hwm


def measure_whiptail(runs):
    wt = shutil.which("whiptail")
    if not wt:
        return None
    items = []
    for i in range(30):
        items += [f"t{i}", f"Task number {i} of the checklist", "off"]
    argv = [wt, "--checklist", "Resolution checklist", str(ROWS), str(COLS), "30"] + items
    env = dict(os.environ, TERM="xterm-256color")
    firsts = []
    for _ in range(runs):
        p = Pty(argv, env)
        t = p.read_until(b"<Cancel>")
        p.close()
        if t is not None:
            firsts.append(t)
    p = Pty(argv, env)
    p.read_until(b"<Cancel>")
    p.drain()
    down = per_key(p, [b"\x1b[B", b"\x1b[A"], 10)
    cpu0 = p.stat_cpu()
    time.sleep(10)
    idle = p.stat_cpu() - cpu0
    hwm = p.hwm_kb()
    p.close()
    return firsts, down, idle, hwm


def timed(argv, env):
    t0 = time.perf_counter()
    r = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0, r.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/tshoot")
    ap.add_argument("--library", help="folder of generated guides (benches/gen_library.py)")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--filter-bin", default="target/release/examples/picker_keys",
                    help="the picker_keys example, for the filtering time per key in process")
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} not found: run `cargo build --release` first")
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} cores, {model}; terminal {COLS}x{ROWS}; binary {a.bin} "
          f"({os.path.getsize(a.bin) / 1e6:.1f} MB)")
    tmp = tempfile.mkdtemp(prefix="tshoot-measure-")
    env = base_env(tmp)
    firsts, answers, tasks, idle, hwm = measure_tshoot(a.bin, a.runs, env)
    ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms" if xs else "n/a"
    print("\n                              tshoot            whiptail          ratio")
    wt = measure_whiptail(a.runs)
    wt_first = ms(wt[0]) if wt else "not installed"
    ratio = f"{statistics.median(firsts) / statistics.median(wt[0]):.2f}x" if wt and wt[0] and firsts else "-"
    print(f"first frame (median of {a.runs})  {ms(firsts):<17} {wt_first:<17} {ratio}")
    wt_down = f"{wt[1][0]:.0f} B (max {wt[1][1]})" if wt else "-"
    print(f"bytes per Down, answers       {answers[0]:.0f} B (max {answers[1]})    {wt_down}")
    print(f"bytes per Down, checklist     {tasks[0]:.0f} B (max {tasks[1]})")
    print(f"idle CPU over 10 s            {idle * 1000:.0f} ms            {wt[2] * 1000:.0f} ms" if wt else f"idle CPU over 10 s            {idle * 1000:.0f} ms")
    print(f"peak RSS (VmHWM)              {hwm / 1024:.1f} MB           {wt[3] / 1024:.1f} MB" if wt else f"peak RSS                      {hwm / 1024:.1f} MB")
    t, down, _, _ = measure_picker(a.bin, env, None)
    print(f"picker first frame            {t * 1000 if t else float('nan'):.1f} ms; bytes per Down {down[0]:.0f} B")
    if a.library:
        n = sum(1 for _ in os.scandir(a.library))
        lenv = dict(env, TSHOOT_GUIDES=a.library)
        cold, warm, pcold, pwarm, keys, phwm = [], [], [], [], [], 0
        runs = max(3, min(a.runs, 7))
        for _ in range(runs):
            shutil.rmtree(f"{tmp}/cache", ignore_errors=True)
            cold.append(timed([a.bin, "list"], lenv)[0])
            warm.append(timed([a.bin, "list"], lenv)[0])
        for i in range(runs):
            shutil.rmtree(f"{tmp}/cache", ignore_errors=True)
            pcold.append(measure_picker(a.bin, env, a.library)[0] or float("nan"))
            t, pdown, k, hwm = measure_picker(a.bin, env, a.library, typing=i < 3)
            pwarm.append(t or float("nan"))
            keys += k
            phwm = max(phwm, hwm)
        keys.sort()
        p90 = keys[int(len(keys) * 0.9)] if keys else float("nan")
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        print(f"\nlibrary of {n} guides (median of {runs}; load average {load})  budget (issue 7)")
        row = lambda name, v, budget: print(f"  {name:<36}{v:<21}{budget}")
        row("`tshoot list`, cold (no index)", ms(cold), "<= 1000 ms")
        row("`tshoot list`, warm (index current)", ms(warm), "<= 100 ms")
        row("picker first frame, cold", ms(pcold), "<= 1000 ms")
        row("picker first frame, warm", ms(pwarm), "<= 100 ms")
        row(f"picker key to frame ({len(keys)} keys)", f"{ms(keys)} (p90 {p90 * 1000:.1f})", "")
        if os.path.exists(a.filter_bin):
            # The filtering alone, in process, over the same queries (the budget's measure).
            r = subprocess.run([a.filter_bin, a.library] + TYPED, capture_output=True, text=True)
            last = r.stdout.strip().splitlines()[-1].split() if r.returncode == 0 else []
            if len(last) == 8:
                row(f"picker filtering per key ({last[3]} keys)", f"{last[5]} ms (p90 {float(last[7]):.1f})", "<= 2 ms")
        else:
            print(f"  (build {a.filter_bin} with `cargo build --release --example picker_keys`"
                  " for the filtering time alone)")
        row("picker peak RSS (VmHWM)", f"{phwm / 1024:.1f} MB", "<= 60 MB")
        row("picker bytes per Down", f"{pdown[0]:.0f} B", "<= 48 B")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
