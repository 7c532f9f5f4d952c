#!/usr/bin/env python3
"""Start-up and footprint as a user sees them, beside a baseline in the same run.

For each variant and run (variants alternate within a run), with a fresh HOME:
  - window mapped: process start -> its top-level window is viewable (found by _NET_WM_PID);
  - first painted page: process start -> the window's pixels show the page (the navigation
    colour over >= 3 % of the window and >= 6 distinct colours), sampled every few ms;
  - PSS and RSS 3 s later, summed over the process and all its descendants
    (the app, WebKitWebProcess, WebKitNetworkProcess, ...).

Each variant is launched twice per run: "cold", after 3 s with nothing running (how a user
opens an app on an idle machine), and "warm", right after the cold one exits. On a virtual
machine an idle CPU can come back much slower, so both are shown. `--launch-probe CMD` also
times a plain process launch (e.g. `MiniBrowser --help`, which loads the same libraries and
opens no window) both ways, to show how much of the difference is the machine's.

Run under an X display (scripts/with-desktop.sh). Measurements only, never pass/fail.

  bench_startup.py RUNS [--launch-probe CMD] NAME=COMMAND[|ENV=V,ENV=V] ...
"""
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from Xlib import X, display as xdisplay

IDLE = 3.0  # seconds with nothing running before a cold launch
NAV = [(0x0F, 0x4C, 0x5C), (0x0A, 0x2A, 0x33)]
STEP = 12  # sample every 12th pixel in both directions


def tree(pid):
    out, queue = [], [pid]
    while queue:
        p = queue.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                queue.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def memory_kib(pids):
    pss = rss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss, rss


def find_window(d, pids):
    atom = d.intern_atom("_NET_WM_PID")
    for w in d.screen().root.query_tree().children:
        try:
            prop = w.get_full_property(atom, X.AnyPropertyType)
            if prop and prop.value[0] in pids and w.get_attributes().map_state == X.IsViewable:
                g = w.get_geometry()
                if g.width > 100 and g.height > 100:
                    return w, g.width, g.height
        except Exception:
            continue
    return None


def painted(w, width, height):
    raw = w.get_image(0, 0, width, height, X.ZPixmap, 0xFFFFFFFF).data
    stride = width * 4
    nav = total = 0
    colours = set()
    for y in range(0, height, STEP):
        row = y * stride
        for x in range(0, width, STEP):
            i = row + x * 4
            b, g, r = raw[i], raw[i + 1], raw[i + 2]
            total += 1
            colours.add((r >> 3, g >> 3, b >> 3))
            if any(abs(r - R) < 8 and abs(g - G) < 8 and abs(b - B) < 8 for R, G, B in NAV):
                nav += 1
    return nav >= 0.03 * total and len(colours) >= 6


def once(cmd, extra_env, memory=True):
    home = tempfile.mkdtemp(prefix="sluice-bench-home-")
    env = dict(os.environ)
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=f"{home}/.config",
        XDG_CACHE_HOME=f"{home}/.cache",
        XDG_DATA_HOME=f"{home}/.local/share",
        SLUICE_CONFIG_DIR=f"{home}/sluice",
    )
    for k, v in extra_env.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    d = xdisplay.Display()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    mapped = paint = None
    found = None
    deadline = t0 + 20
    try:
        while time.monotonic() < deadline:
            if found is None:
                found = find_window(d, set(tree(proc.pid)))
                if found:
                    mapped = time.monotonic() - t0
                else:
                    time.sleep(0.002)
                    continue
            if painted(*found):
                paint = time.monotonic() - t0
                break
            time.sleep(0.003)
        pss = rss = 0
        if memory:
            time.sleep(3)
            pss, rss = memory_kib(tree(proc.pid))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        d.close()
        subprocess.run(["rm", "-rf", home])
    return mapped, paint, pss / 1024, rss / 1024


def launch_probe(cmd, runs):
    """Median wall time of a short process launch after IDLE seconds, and back-to-back."""
    def timed():
        t0 = time.monotonic()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (time.monotonic() - t0) * 1000
    cold, warm = [], []
    for _ in range(runs):
        time.sleep(IDLE)
        cold.append(timed())
        warm.append(timed())
    return statistics.median(cold), statistics.median(warm)


def main():
    args = sys.argv[1:]
    runs = int(args.pop(0))
    probe = None
    if args and args[0] == "--launch-probe":
        probe = shlex.split(args[1])
        args = args[2:]
    variants = []
    for spec in args:
        name, _, rest = spec.partition("=")
        command, _, envs = rest.partition("|")
        extra = {}
        for kv in filter(None, envs.split(",")):
            k, _, v = kv.partition("=")
            extra[k] = None if v == "<unset>" else v
        variants.append((name, shlex.split(command), extra))
    results = {name: [] for name, _, _ in variants}
    warm = {name: [] for name, _, _ in variants}
    fmt = lambda s: "none" if s is None else f"{s * 1000:.0f} ms"
    for i in range(1, runs + 1):
        for name, cmd, extra in variants:
            time.sleep(IDLE)
            m, p, pss, rss = once(cmd, extra)
            results[name].append((m, p, pss, rss))
            wm, wp, _, _ = once(cmd, extra, memory=False)
            warm[name].append((wm, wp))
            print(
                f"run {i} {name}: cold mapped {fmt(m)}, painted {fmt(p)}; warm painted {fmt(wp)}; "
                f"PSS {pss:.0f} MiB, RSS {rss:.0f} MiB",
                flush=True,
            )
    print()
    med = lambda v: f"{statistics.median(v):.0f}/{min(v):.0f} ms" if v else "n/a"
    print(
        f"{'variant':<28} {'mapped (median/min)':>20} {'first paint cold (median/min)':>30} "
        f"{'first paint warm':>18} {'PSS median':>11} {'RSS median':>11}"
    )
    for name, rows in results.items():
        ms = [r[0] * 1000 for r in rows if r[0] is not None]
        ps = [r[1] * 1000 for r in rows if r[1] is not None]
        wps = [r[1] * 1000 for r in warm[name] if r[1] is not None]
        pss = statistics.median(r[2] for r in rows)
        rss = statistics.median(r[3] for r in rows)
        missed = len(rows) - len(ps)
        note = f" ({missed} never painted)" if missed else ""
        print(
            f"{name:<28} {med(ms):>20} {med(ps):>30} {med(wps):>18} {pss:>7.0f} MiB {rss:>7.0f} MiB{note}"
        )
    if probe:
        cold, hot = launch_probe(probe, runs)
        print(
            f"\nlaunch probe ({os.path.basename(probe[0])} {' '.join(probe[1:])}, no window): "
            f"{cold:.0f} ms after {IDLE:.0f} s idle, {hot:.0f} ms back-to-back (medians of {runs})"
        )


if __name__ == "__main__":
    main()
