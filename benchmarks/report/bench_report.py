#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench_report.py — the sizing report from scripts/bench.sh's raw results.

Reads build/bench-results/<profile>/ (sluice-bench JSON of every relay and
ceiling run, the coturn comparison, the machine) and writes, into --out:
  <profile>.md                 the report
  <profile>-throughput.png     NDR/PDR against flows, per path, with the
                               generator's ceiling and the line rates
  <profile>-latency-cdf.png    latency CDF per path at half the NDR, with
                               the ceiling's own CDF
  <profile>-cycles.png         the relay's busy cycles per packet by path
  <profile>.json               every figure of the tables

Every figure is copied from a measurement; a figure that was not measured
is written as such, with the reason. Nothing here judges speed.
"""
import argparse
import datetime
import glob
import json
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LINKS = (10, 25, 100)
PATH_TITLES = {
    "p2p": "plain → plain", "p2m": "plain → mux", "m2p": "mux → plain",
    "m2m": "mux → mux", "turn-cd": "TURN ChannelData → peer",
    "turn-send": "TURN Send indication → peer",
}
PATH_ORDER = ["p2p", "p2m", "m2p", "m2m", "turn-cd", "turn-send"]
# The rated load, in relayed packets per second, of one unit of the
# profile's reference capacity (the model is printed in the report).
PPS_PER_SESSION = 2 * (50 + 200)   # both directions: audio 50 + video 200
PPS_PER_TURN_RELAY = 2 * 50        # both directions: one audio stream


def line_rate_mpps(gbps, frame):
    return gbps * 1e3 / ((frame + 20) * 8)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def trial(run, idx):
    if run is None or idx is None or idx < 0:
        return None
    try:
        return run["trials"][idx]
    except (IndexError, KeyError):
        return None


def summarize(run):
    """The figures of one sluice-bench run (relay or ceiling)."""
    if run is None:
        return None
    res = run["result"]
    best = trial(run, res.get("best"))
    pdr = trial(run, res.get("pdr_best"))
    flat = trial(run, res.get("flat_out"))
    lat = trial(run, res.get("latency"))
    notes = {p["name"]: p["note"] for p in run["setup"]["paths"] if p.get("note")}
    s = {
        "flows": run["setup"]["flows"],
        "flows_requested": run["setup"].get("flows_requested", run["setup"]["flows"]),
        "frame": run["setup"]["frame_bytes"],
        "ndr_pps": best["offered_pps"] if best else None,
        "ndr_loss": best["loss_ratio"] if best else None,
        "pdr_pps": pdr["offered_pps"] if pdr else None,
        "pdr_loss": pdr["loss_ratio"] if pdr else None,
        "generator_limited": res.get("generator_limited", False),
        "flat_offered_pps": flat["offered_pps"] if flat else None,
        "flat_received_pps": flat["received_pps"] if flat else None,
        "notes": notes,
        "trials": len(run["trials"]),
        "retried": sum(len(t.get("retried", [])) for t in run["trials"]),
        "trial_seconds": sum(t["seconds"] for t in run["trials"]),
        "relay_wait_ms": sum(t.get("sched", {}).get("relay_wait_ns", 0)
                             for t in run["trials"]) / 1e6,
        "gen_wait_ms": sum(t.get("sched", {}).get("generator_wait_ns", 0)
                           for t in run["trials"]) / 1e6,
        "steal_ms": sum(t.get("sched", {}).get("steal_ns", 0) for t in run["trials"]) / 1e6,
        "functional_failures": res.get("functional_failures", 0),
    }
    for name, t in (("ndr", best), ("flat", flat), ("lat", lat)):
        rel = t.get("relay") if t else None
        s[name + "_cycles"] = rel["busy_cycles_per_rx_pkt"] if rel and rel["rx_pkts"] else None
        s[name + "_busy"] = rel["busy_fraction"] if rel else None
        s[name + "_oncpu_cycles"] = (t.get("sched", {}).get("relay_oncpu_busy_cycles_per_rx_pkt")
                                     if t else None)
    s["relay_cpu_ns_ndr"] = (best.get("sched", {}).get("relay_cpu_ns_per_rx_pkt")
                             if best else None)
    s["relay_cpu_ns_flat"] = (flat.get("sched", {}).get("relay_cpu_ns_per_rx_pkt")
                              if flat else None)
    s["turn"] = run.get("turn")
    if lat:
        s["lat_rate_pps"] = lat["rate_target_pps"]
        s["lat"] = lat["latency_ns"]
        s["lat_loss"] = lat["loss_ratio"]
        s["cdf"] = {p: v.get("latency_cdf") for p, v in lat["paths"].items()}
    else:
        s["lat_rate_pps"] = None
        s["lat"] = None
        s["cdf"] = {}
    return s


def mpps(v, digits=3):
    return "—" if v is None else ("%.*f" % (digits, v / 1e6))


def us(ns):
    return "—" if ns is None else ("%.1f" % (ns / 1e3))


def pct(v):
    return "—" if v is None else ("%.2f%%" % (100 * v))


def runs_of(results, kind):
    """{path: {flows_requested: summary}} of the relay or ceiling runs."""
    out = {}
    for f in glob.glob(os.path.join(results, kind + "-*.json")):
        m = re.match(kind + r"-(p2p|p2m|m2p|m2m|turn-cd|turn-send)-(\d+)\.json$",
                     os.path.basename(f))
        if not m:
            continue
        out.setdefault(m.group(1), {})[int(m.group(2))] = summarize(load(f))
    return out


def off_cpu_share(s):
    """The relay worker's time off its CPU, as a share of the trials' time."""
    if not s or not s.get("trial_seconds"):
        return None
    return s["relay_wait_ms"] / 1e3 / s["trial_seconds"]


def limited_by(relay, ceil):
    """What bounds a result: the generator (its ceiling), or the relay —
    noting when the relay's worker was kept off its CPU (a shared machine)."""
    if relay is None or (relay["ndr_pps"] is None and relay["pdr_pps"] is None):
        return "—"
    if relay["generator_limited"]:
        return "generator (flat out lost nothing)"
    by = "relay"
    cshare = off_cpu_share(ceil)
    if ceil:
        for k, name in (("pdr_pps", "PDR"), ("ndr_pps", "NDR")):
            if relay[k] and ceil[k] and relay[k] >= 0.9 * ceil[k]:
                by = "generator ceiling (%s ≥ 90%% of it)" % name
                if cshare is not None and cshare > 0.05:
                    by += ", but the ceiling run was disturbed (reflector off its CPU " \
                          "%.0f%% of the time)" % (100 * cshare)
                break
    share = off_cpu_share(relay)
    if by == "relay" and share is not None and share > 0.05:
        by += ", disturbed: its worker was off its CPU %.0f%% of the time" % (100 * share)
    return by


# --- plots ---------------------------------------------------------------

def plot_throughput(relay, ceil, frame, paths, out):
    """Two panels, NDR and PDR, each path's relay figure (solid) beside the
    generator's ceiling (dashed), with the line rates."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), sharey=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, key, title in ((axes[0], "ndr_pps", "NDR (no loss)"),
                           (axes[1], "pdr_pps", "PDR (≤ 0.5% loss)")):
        for i, p in enumerate(paths):
            c = colors[i % len(colors)]
            rows = sorted((s["flows"], s[key]) for s in relay.get(p, {}).values()
                          if s and s[key])
            if rows:
                ax.plot([f for f, _ in rows], [v / 1e6 for _, v in rows], "o-", color=c,
                        label=PATH_TITLES[p])
            crow = sorted((s["flows"], s[key]) for s in ceil.get(p, {}).values()
                          if s and s[key])
            if crow:
                ax.plot([f for f, _ in crow], [v / 1e6 for _, v in crow], "x--", color=c,
                        alpha=0.55, label="%s: generator ceiling" % PATH_TITLES[p])
        for g, ls in zip(LINKS, (":", "-.", "--")):
            ax.axhline(line_rate_mpps(g, frame), color="grey", ls=ls, lw=1)
            ax.text(1, line_rate_mpps(g, frame) * 1.06, "%d GbE line rate (%d-byte frames)"
                    % (g, frame), color="grey", fontsize=7)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("flows (calls of two legs)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("Mpps (log)")
    axes[1].legend(fontsize=7, loc="lower right")
    fig.suptitle("Throughput against number of flows")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_cdf(relay, ceil, paths, out):
    fig, ax = plt.subplots(figsize=(8, 5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    drawn = False
    for i, p in enumerate(paths):
        c = colors[i % len(colors)]
        for src, ls, lab in ((relay, "-", ""), (ceil, "--", " (generator ceiling)")):
            runs = [s for s in src.get(p, {}).values() if s and s["cdf"].get(p)]
            if not runs:
                continue
            s = max(runs, key=lambda r: r["flows"])
            pts = s["cdf"][p]
            ax.step([x / 1e3 for x, _ in pts], [y for _, y in pts], where="post", ls=ls,
                    color=c, label="%s, %d flows, %.3f Mpps%s" % (
                        PATH_TITLES[p], s["flows"], (s["lat_rate_pps"] or 0) / 1e6, lab))
            drawn = True
    ax.set_xscale("log")
    ax.set_xlabel("latency, µs (log): generator TX → relay → generator RX")
    ax.set_ylabel("fraction of packets")
    ax.set_title("Latency CDF at half the NDR (most flows measured)")
    ax.grid(True, which="both", alpha=0.3)
    if drawn:
        ax.legend(fontsize=6, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_cycles(relay, paths, out):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    labels, sat, ndr = [], [], []
    for p in paths:
        runs = [s for s in relay.get(p, {}).values() if s]
        if not runs:
            continue
        s = max(runs, key=lambda r: r["flows"])
        labels.append("%s\n%d flows" % (PATH_TITLES[p], s["flows"]))
        sat.append(s["flat_oncpu_cycles"] or s["flat_cycles"] or 0)
        ndr.append(s["ndr_cycles"] or 0)
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], sat, 0.4, label="saturated (flat-out trial, on-CPU time)")
    ax.bar([i + 0.2 for i in x], ndr, 0.4, label="at the NDR")
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylabel("relay busy TSC cycles per received packet")
    ax.set_title("Cycles per packet by path (sluice-dp telemetry)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


# --- the markdown --------------------------------------------------------

def write_report(a, meta, relay, ceil, turn_cmp, loads, coturn):
    prof = a.profile
    frame = 214
    for src in (relay, ceil):
        for p in src.values():
            for s in p.values():
                if s:
                    frame = s["frame"]
    lr = {g: line_rate_mpps(g, frame) for g in LINKS}
    paths = [p for p in PATH_ORDER if p in relay or p in ceil]
    media = [p for p in paths if not p.startswith("turn")]
    tz = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    m = meta["machine"]
    sw = meta["software"]
    figs = {"profile": prof, "frame_bytes": frame, "line_rate_mpps": lr, "relay": relay,
            "ceiling": ceil, "coturn_sluice_bench": coturn, "turn_compare": turn_cmp}
    L = []
    w = L.append
    w("# Sizing report: the %s profile" % prof.capitalize())
    w("")
    w("Generated by `./scripts/bench.sh %s%s` on %s, in %d minutes, by "
      "`benchmarks/report/bench_report.py`. Every figure below was measured in that run; "
      "the raw results (every trial) are in `build/bench-results/%s/` on the machine that "
      "ran it, and the tables' figures in [`%s.json`](%s.json)."
      % (prof, " --quick" if meta.get("quick") else "", tz, a.seconds // 60, prof, prof, prof))
    w("")
    if meta.get("quick"):
        w("**This is a `--quick` run: fewer paths, flow counts and shorter trials. "
          "Do not size on it.**")
        w("")
    w("Frames are **%d bytes** counted as pktgen and RFC 2544 count them, *including* "
      "the 4-byte FCS (%d bytes in the mbuf; [benchmarks.md](../benchmarks.md) uses the "
      "same convention). Line rate for them: **10 GbE %.2f Mpps, 25 GbE %.2f Mpps, "
      "100 GbE %.2f Mpps** (link bps / ((%d + 20) × 8)). A G.711 20 ms packet is "
      "214 bytes without the FCS; the mux paths send or receive 4 bytes more."
      % (frame, frame - 4, lr[10], lr[25], lr[100], frame))
    w("")

    # --- summary
    w("## Summary")
    w("")
    w("NDR: the highest rate with no loss at all (RFC 2544 throughput). PDR: the "
      "highest with at most 0.5% loss (FD.io CSIT's partial drop rate). "
      "\"Ceiling\": the same search with a reflector standing where sluice-dp stands "
      "(same CPUs, same memif): the most the generator itself can offer and take back "
      "loss-free. A relay figure at or near its ceiling is the generator's limit, not "
      "the relay's.")
    w("")
    w("| path | flows | NDR Mpps | PDR Mpps | generator ceiling NDR / PDR Mpps | limited by | "
      "% of 10 / 25 / 100 GbE line rate (NDR; PDR) | latency p50 / p99 µs at ½ NDR |")
    w("|---|---:|---:|---:|---:|---|---:|---:|")
    for p in paths:
        runs = [s for s in relay.get(p, {}).values() if s]
        if not runs:
            continue
        s = max(runs, key=lambda r: r["flows"])
        c = next((v for k, v in ceil.get(p, {}).items() if v and v["flows"] == s["flows"]), None)
        def share_of(v):
            return ("%.1f%% / %.1f%% / %.2f%%" % tuple(100 * v / 1e6 / lr[g] for g in LINKS)
                    ) if v else "—"
        share = "%s; %s" % (share_of(s["ndr_pps"]), share_of(s["pdr_pps"]))
        w("| %s | %d | %s | %s | %s / %s | %s | %s | %s / %s |" % (
            PATH_TITLES[p], s["flows"], mpps(s["ndr_pps"]), mpps(s["pdr_pps"]),
            mpps(c["ndr_pps"]) if c else "—", mpps(c["pdr_pps"]) if c else "—",
            limited_by(s, c), share, us(s["lat"]["p50"]) if s["lat"] else "—",
            us(s["lat"]["p99"]) if s["lat"] else "—"))
    w("")
    notes = {}
    for p in paths:
        for s in relay.get(p, {}).values():
            if s:
                notes.update({k: v for k, v in s["notes"].items()})
    for p, n in sorted(notes.items()):
        w("- **%s**: %s." % (PATH_TITLES.get(p, p), n))
    if notes:
        w("")

    # --- headroom
    rated = meta["rated"]
    media_pps = rated["rich_media_sessions"] * PPS_PER_SESSION
    turn_pps = rated["turn_relays"] * PPS_PER_TURN_RELAY
    def slowest(key, among=None):
        """(path, run) of the slowest path (media unless `among`) at its most
        flows with a figure."""
        worst = None
        for p in among or media:
            runs = [r for r in relay.get(p, {}).values() if r and r[key]]
            if runs:
                r = max(runs, key=lambda x: x["flows"])
                if worst is None or r[key] < worst[1][key]:
                    worst = (p, r)
        return worst

    w("## Headroom over the rated capacity")
    w("")
    w("The %s profile's reference capacity is **%d rich media sessions** and **%d TURN "
      "relays** (docs/configuration.md). In packets, with the model stated here so that "
      "anyone can change it: a rich media session relays audio (50 packets/s) and video "
      "(200 packets/s, ~2 Mbit/s in ~1,200-byte packets) in both directions, %d packets/s; "
      "a TURN relay carries one audio stream both ways, %d packets/s."
      % (prof.capitalize(), rated["rich_media_sessions"], rated["turn_relays"],
         PPS_PER_SESSION, PPS_PER_TURN_RELAY))
    w("")
    w("| load | rated, packets/s | measured, packets/s: the slowest path of the kind at its "
      "most flows | headroom |")
    w("|---|---:|---:|---:|")
    for key, name in (("ndr_pps", "NDR (no loss)"), ("pdr_pps", "PDR (≤ 0.5% loss)")):
        worst = slowest(key)
        if worst:
            lim = limited_by(worst[1], None)
            w("| media, %d sessions | %d | %s: %d (%s, %d flows)%s | **%.1f×** |" % (
                rated["rich_media_sessions"], media_pps, name, worst[1][key],
                PATH_TITLES[worst[0]], worst[1]["flows"],
                "; " + lim.split(", ", 1)[1] if ", disturbed" in lim else "",
                worst[1][key] / media_pps))
        else:
            w("| media, %d sessions | %d | %s: not measured | — |" % (
                rated["rich_media_sessions"], media_pps, name))
    turn_paths = [p for p in paths if p.startswith("turn")]
    for key, name in (("ndr_pps", "NDR (no loss)"), ("pdr_pps", "PDR (≤ 0.5% loss)")):
        worst = slowest(key, turn_paths) if turn_paths else None
        if worst:
            lim = limited_by(worst[1], None)
            w("| TURN, %d relays | %d | %s: %d (%s, %d allocations)%s | **%.1f×** |" % (
                rated["turn_relays"], turn_pps, name, worst[1][key], PATH_TITLES[worst[0]],
                worst[1]["flows"], "; " + lim.split(", ", 1)[1] if ", disturbed" in lim
                else "", worst[1][key] / turn_pps))
        else:
            w("| TURN, %d relays | %d | %s: not measured | — |" % (
                rated["turn_relays"], turn_pps, name))
    w("")
    w("The video packets of the model are larger than the %d-byte frames measured: "
      "the relay does not touch payload (its cost per packet barely depends on size), "
      "but every byte crosses memif twice here and a NIC's PCIe on hardware. "
      "Headroom is per %s worker lcore%s on this machine." % (
          frame, "this" if meta["workers"] == 1 else "these %d" % meta["workers"],
          "" if meta["workers"] == meta["profile_workers"] else
          " (the profile's default is %d workers; this machine has %d CPUs, so the run used %d)"
          % (meta["profile_workers"], m["nproc"], meta["workers"])))
    w("")

    # --- machine
    w("## Machine and software")
    w("")
    w("| | |")
    w("|---|---|")
    w("| CPU | %s, %d CPUs%s |" % (m["cpu"], m["nproc"],
                                    ", a virtual machine (hypervisor flag set)" if m.get("hypervisor") else ""))
    w("| memory | %s MB, %d hugepages |" % (m.get("mem_mb"), m.get("hugepages", 0)))
    w("| OS | %s, kernel %s |" % (m.get("os") or m.get("debian_version"), m.get("kernel")))
    w("| DPDK | %s (Debian packages) |" % sw.get("dpdk"))
    w("| compiler, build | %s; %s |" % (sw.get("gcc"), sw.get("build")))
    w("| Sluice | %s |" % sw.get("sluice"))
    w("| coturn | %s |" % (sw.get("coturn") or "not installed"))
    w("| benchmark priority | nice %d for sluice-dp, the reflector and the generator |"
      % meta.get("nice", 0))
    w("")
    w("Load on the machine (it is shared: other jobs ran beside the benchmark):")
    w("")
    w("| when | load average (1/5/15 min) | busiest processes (%CPU, command) |")
    w("|---|---|---|")
    for ld in loads:
        w("| %s | %s | %s |" % (ld["phase"], " / ".join(ld["loadavg"]),
                                "; ".join(ld["top"][:4])))
    w("")

    # --- method
    w("## How it was measured")
    w("")
    w("```")
    w("  CPU %d: sluice-bench (main + traffic lcore)     CPU %s: sluice-dp worker lcore(s)"
      % (meta["generator_cpu"], ", ".join(str((meta["generator_cpu"] + i) % m["nproc"])
                                         for i in range(1, meta["workers"] + 1))))
    w("         sluice-dp service lcore (commands,       (or, for the ceiling, the")
    w("         exception path; sleeps when idle)          reflector's lcore)")
    w("  sluice-bench ──memif (client)──► net_memif0 (server) sluice-dp, netns of its own")
    w("               ◄──────────────────  relayed frames back")
    w("  legs: LEG_ADD over /dev/shm/sluice-<instance> (sluice-bench acts as the control plane)")
    w("```")
    w("")
    w("- **sluice-bench** (benchmarks/sluice-bench/) is a DPDK generator and receiver. For "
      "each run it programs the flows' legs over the shared-memory command ring (every "
      "command acknowledged), resolves the relay's MAC by ARP, warms every flow up (so "
      "the relay has resolved every receiver), then runs trials. A flow is one call of two "
      "legs relayed one way; flows take turns packet by packet. Every frame carries, at "
      "the end of its UDP payload, a stamp (run, flow, sequence, TX TSC): loss, "
      "reordering and latency are counted per flow from it, and every frame that comes "
      "back is checked against what the path must make of it (addresses, ports, "
      "multiplexID added, rewritten or removed, length).")
    w("- **Trials** last %g s; after each, the receiver waits for stragglers (until 20 ms "
      "without a frame, at most 200 ms). Frames the port's TX queue refuses (memif's ring "
      "to the relay is full) are offered load and loss, as a NIC would drop them at the "
      "relay's full RX ring; nothing is retried."
      % meta["trial_seconds"])
    w("- **The search** (RFC 2544 §26.1, binary): a flat-out trial first (its offered "
      "rate is the upper bound; if it lost nothing the answer is the generator's own "
      "limit), then halving from what came back flat out, at most %d trials, until the "
      "interval is within %g%% for both the NDR (no loss) and the PDR (≤ 0.5%% loss). "
      "RFC 2544 asks for 60-second trials; these are short so that the whole profile fits "
      "in minutes on a small machine, and a short trial finds a higher NDR than a long "
      "one would."
      % (meta["max_trials"], 100 * meta["resolution"]))
    w("- **A shared machine**: per trial, sluice-bench reads the kernel's schedstat of "
      "sluice-dp's worker thread(s) and of its own traffic lcore (time runnable but not "
      "running: another task had the CPU) and the hypervisor's steal time. A lossy trial "
      "during which those add up to 1 ms or more is repeated (at most twice, at most 4 "
      "times per run); every attempt is kept in the raw JSON, and the throughput table "
      "counts the repeats and the off-CPU time. Loss without such a disturbance is never "
      "repeated.")
    w("- **Latency**: a separate trial at half the NDR; latency is generator TX TSC to "
      "generator RX TSC (one clock), so it includes both memif crossings and the "
      "generator's own polling. sluice-dp flushes a partly filled TX burst every 100 µs "
      "(`dataplane.tx_flush_us`), which sets the latency at low rates.")
    w("- **Cycles per packet** are sluice-dp's own telemetry (`/sluice/stats`): busy TSC "
      "cycles (poll loops that found packets) over packets received by the worker, "
      "during the trial. Saturated = the flat-out trial (full bursts); at the NDR the "
      "bursts are partly empty and the per-burst cost is spread over fewer packets. They "
      "include memif's copies in and out. Idle polling is not counted: a poll-mode worker "
      "occupies its core whatever the load.")
    w("- **Generator ceiling**: on this machine the generator shares CPU %d with "
      "sluice-dp's service lcore, and the relay's worker has a CPU of its own. The "
      "reflector (`sluice-bench --mode reflect`) stands in sluice-dp's place on the same "
      "CPUs and memif and returns every frame at once: what the generator + memif can do "
      "with a relay that costs nothing. Every relay figure is printed beside it."
      % meta["generator_cpu"])
    w("")

    # --- throughput
    w("## Throughput against number of flows")
    w("")
    w("![throughput against flows](%s-throughput.png)" % prof)
    w("")
    w("| path | flows | NDR Mpps (loss) | PDR Mpps (loss) | ceiling NDR / PDR Mpps | flat out: "
      "offered → received Mpps | ceiling flat out: offered → received | trials (repeated) | "
      "off-CPU: relay worker / generator / steal, ms in s of trials |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for p in paths:
        for n in sorted(relay.get(p, {})):
            s = relay[p][n]
            if not s:
                w("| %s | %d | run failed | | | | | | |" % (PATH_TITLES[p], n))
                continue
            c = ceil.get(p, {}).get(n)
            w("| %s | %d%s | %s (%s) | %s (%s) | %s / %s | %s → %s | %s | %d (%d) | "
              "%.0f / %.0f / %.0f in %.0f |" % (
                PATH_TITLES[p], s["flows"],
                "" if s["flows"] == s["flows_requested"] else
                " (of %d asked: the profile's ports/legs)" % s["flows_requested"],
                mpps(s["ndr_pps"]), pct(s["ndr_loss"]), mpps(s["pdr_pps"]), pct(s["pdr_loss"]),
                mpps(c["ndr_pps"]) if c else "—", mpps(c["pdr_pps"]) if c else "—",
                mpps(s["flat_offered_pps"]), mpps(s["flat_received_pps"]),
                ("%s → %s" % (mpps(c["flat_offered_pps"]), mpps(c["flat_received_pps"])))
                if c else "—", s["trials"], s["retried"], s["relay_wait_ms"], s["gen_wait_ms"],
                s["steal_ms"], s["trial_seconds"]))
    for p in ("turn-cd", "turn-send"):
        c = ceil.get(p, {}).get(100)
        if c and not relay.get(p):
            w("| %s | %d | %s | | %s / %s | | %s → %s | %d (%d) | reflector %.0f / %.0f / %.0f "
              "in %.0f |" % (
                PATH_TITLES[p], c["flows"], notes.get(p, "not run on the relay"),
                mpps(c["ndr_pps"]), mpps(c["pdr_pps"]), mpps(c["flat_offered_pps"]),
                mpps(c["flat_received_pps"]), c["trials"], c["retried"], c["relay_wait_ms"],
                c["gen_wait_ms"], c["steal_ms"], c["trial_seconds"]))
    w("")

    # --- latency
    w("## Latency")
    w("")
    w("![latency CDF](%s-latency-cdf.png)" % prof)
    w("")
    w("At half of each run's own NDR; the ceiling rows are the reflector's run at half "
      "*its* NDR (the generator's and memif's share of every latency). At these rates a "
      "worker's poll finds fewer packets than a burst, and sluice-dp sends a partly filled "
      "TX burst when its flush timer fires (`dataplane.tx_flush_us`, 100 µs by default): "
      "relayed packets wait up to that long, which spreads the relay's latencies evenly "
      "up to about 100 µs where the reflector, which sends every burst at once, shows a "
      "few µs. The tails (p99.9, max) are the machine's stalls.")
    w("")
    w("| path | flows | rate Mpps | loss | min | p50 | p90 | p99 | p99.9 | max (µs) | ceiling p50 / p99 µs |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for p in paths:
        for n in sorted(relay.get(p, {})):
            s = relay[p][n]
            if not s or not s["lat"] or not s["lat"].get("samples"):
                continue
            c = ceil.get(p, {}).get(n)
            cl = c["lat"] if c and c["lat"] and c["lat"].get("samples") else None
            la = s["lat"]
            w("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                PATH_TITLES[p], s["flows"], mpps(s["lat_rate_pps"]), pct(s["lat_loss"]),
                us(la["min"]), us(la["p50"]), us(la["p90"]), us(la["p99"]), us(la["p99_9"]),
                us(la["max"]), ("%s / %s" % (us(cl["p50"]), us(cl["p99"]))) if cl else "—"))
    w("")

    # --- cycles
    w("## Cycles per packet by path")
    w("")
    w("![cycles per packet](%s-cycles.png)" % prof)
    w("")
    w("| path | flows | saturated: cycles/pkt (worker busy) | saturated, on-CPU time only | "
      "at NDR: cycles/pkt (busy) | packets/s one worker would take at the saturated on-CPU "
      "cost | lcores for 10 / 25 / 100 GbE |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    tsc = None
    for f in glob.glob(os.path.join(a.results, "relay-*.json")):
        j = load(f)
        if j:
            tsc = j["machine"]["tsc_hz"]
            break
    for p in paths:
        for n in sorted(relay.get(p, {})):
            s = relay[p][n]
            if not s or not s["flat_cycles"]:
                continue
            cost = s["flat_oncpu_cycles"] or s["flat_cycles"]
            per_lcore = tsc / cost if tsc and cost else None
            w("| %s | %d | %.0f (%s) | %s | %s (%s) | %s Mpps | %s |" % (
                PATH_TITLES[p], s["flows"], s["flat_cycles"], pct(s["flat_busy"]),
                "%.0f" % s["flat_oncpu_cycles"] if s["flat_oncpu_cycles"] else "—",
                "%.0f" % s["ndr_cycles"] if s["ndr_cycles"] else "—", pct(s["ndr_busy"]),
                mpps(per_lcore), " / ".join("%.2f" % (lr[g] * 1e6 / per_lcore) for g in LINKS)
                if per_lcore else "—"))
    w("")
    w("Cycles are TSC cycles at %.3f GHz. The telemetry's busy cycles are wall-clock TSC, "
      "so they include any time the worker thread was preempted inside a busy poll; the "
      "\"on-CPU\" column takes the worker's own run time from the kernel (schedstat) instead, "
      "times its busy share, which leaves preemption by other tasks out (hypervisor steal "
      "stays in). \"lcores for N GbE\" assumes that cost holds per added worker (RSS "
      "spreading flows, nothing shared), which is not measured here." % ((tsc or 0) / 1e9))
    w("")

    # --- TURN
    w("## TURN: Sluice against coturn")
    w("")
    tr = turn_cmp
    if not tr:
        w("Not measured: the comparison did not run (see `build/bench-results/%s/"
          "turn-compare.log`)." % prof)
    else:
        ld = tr["load"]
        w("The same offered load from coturn's own client against both: `turnutils_uclient "
          "-m %d -n %d -z %d -l %d -c` (%d clients, each an allocation with a channel, "
          "sending %d ChannelData messages of %d bytes every %d ms to an echo peer, "
          "`turnutils_peer`; %d packets/s each way offered). coturn runs on loopback in a "
          "namespace of its own; Sluice's sluice-dp runs on a veth pair (net_af_packet) "
          "with the client and the peer in another namespace."
          % (ld["clients"], ld["messages_per_client"], ld["interval_ms"], ld["length_bytes"],
             ld["clients"], ld["messages_per_client"], ld["length_bytes"], ld["interval_ms"],
             ld["offered_pps_per_direction"]))
        w("")
        w("| server | relayed packets | loss (uclient) | cost per relayed packet | how |")
        w("|---|---:|---:|---:|---|")
        c = tr["coturn"]
        if c.get("measured"):
            u = c["uclient"]
            w("| coturn %s | %d | %s%% (%d) | **%.2f µs CPU** | turnserver utime+stime "
              "(%.2f s, /proc at %d Hz) over the run, %s |" % (
                  c.get("version", ""), c["relayed_pkts"], u["lost_percent"], u["lost"],
                  c["us_per_relayed_pkt"], c["cpu_seconds"], c["clk_tck"], c["relay_threads"]))
        else:
            w("| coturn | — | — | not measured: %s | |" % c.get("reason", "?"))
        s = tr["sluice"]
        if s.get("measured"):
            u = s["uclient"]
            w("| Sluice | %d | %s%% (%d) | **%.2f µs** (%.0f busy cycles) | sluice-dp "
              "busy TSC cycles / relayed packets (telemetry) |" % (
                  s["relayed_pkts"], u["lost_percent"], u["lost"], s["us_per_relayed_pkt"],
                  s["busy_cycles_per_relayed_pkt"]))
        else:
            w("| Sluice | — | — | **%s** | |" % s.get("reason", "not measured"))
        w("")
        if tr.get("ratio_coturn_over_sluice_us_per_pkt"):
            own = [relay["turn-cd"][n] for n in sorted(relay.get("turn-cd", {}))
                   if relay["turn-cd"][n] and relay["turn-cd"][n]["flat_cycles"]]
            w("**Ratio: coturn spends %.1f× Sluice's time per relayed packet** on this "
              "platform. Sluice's figure counts only busy polls (its worker occupies a whole "
              "core whatever the load, unless `dataplane.idle_backoff`), and on a veth pair "
              "those polls include net_af_packet's own work: every TX burst ends in a "
              "`sendto()` that makes the kernel carry the frames through the veth into the "
              "receiving namespace's UDP stack, and at %d packets/s a burst is one or two "
              "packets. That kernel path is the same one coturn pays, so this row compares "
              "two users of the kernel's network stack, not the relays. Sluice's own cost "
              "per relayed TURN packet, without a kernel in the path, is in the cycles table "
              "above (%s) and, in-process without memif, in docs/turn.md."
              % (tr["ratio_coturn_over_sluice_us_per_pkt"], ld["offered_pps_per_direction"],
                 "ChannelData, saturated: %.0f cycles = %.2f µs at %d flows, %.0f× less than "
                 "coturn's CPU per packet here" % (
                     own[-1]["flat_cycles"], own[-1]["flat_cycles"] / ((tsc or 2e9) / 1e6),
                     own[-1]["flows"], c["us_per_relayed_pkt"] /
                     (own[-1]["flat_cycles"] / ((tsc or 2e9) / 1e6)))
                 if own and c.get("measured") else "not measured in this run"))
        else:
            w("**Ratio: not measured** — there is no Sluice figure to divide by. The run is "
              "wired: once sluice-dp serves TURN (its telemetry then shows relayed TURN "
              "packets), `./scripts/bench.sh` fills this row and the ratio with no change.")
        w("")

    # --- the same generator against coturn
    def sluice_at(p, n):
        r = relay.get(p, {}).get(n)
        if not r:
            return "not run"
        return "NDR %s, PDR %s Mpps (memif)" % (mpps(r["ndr_pps"]), mpps(r["pdr_pps"]))
    if coturn:
        w("### The same generator against coturn")
        w("")
        w("sluice-bench's TURN client (allocation with long-term credentials, then a channel "
          "or a permission per flow) against coturn %s: turnserver on 198.18.0.1 in a namespace "
          "of its own, pinned to the CPU sluice-dp's worker has, reached over a veth pair that "
          "sluice-bench drives with net_af_packet (the kernel's UDP path on coturn's side, "
          "af_packet's on the generator's). The same frames, stamps, checks and search as for "
          "the relay. coturn's CPU time is all its threads' (schedstat) during the trial, per "
          "packet it relayed back." % (turn_cmp or {}).get("coturn", {}).get("version", ""))
        w("")
        w("| path | flows | NDR Mpps | PDR Mpps | coturn CPU per relayed packet at NDR / flat out | "
          "latency p50 / p99 µs at ½ NDR | Sluice, same path and flows |")
        w("|---|---:|---:|---:|---:|---:|---|")
        for p in ("turn-cd", "turn-send"):
            c = coturn.get(p, {}).get(100)
            if not c:
                continue
            w("| %s | %d | %s | %s | %s / %s | %s / %s | %s |" % (
                PATH_TITLES[p], c["flows"], mpps(c["ndr_pps"]), mpps(c["pdr_pps"]),
                ("%.2f µs" % (c["relay_cpu_ns_ndr"] / 1e3)) if c["relay_cpu_ns_ndr"] else "—",
                ("%.2f µs" % (c["relay_cpu_ns_flat"] / 1e3)) if c["relay_cpu_ns_flat"] else "—",
                us(c["lat"]["p50"]) if c["lat"] else "—", us(c["lat"]["p99"]) if c["lat"] else "—",
                sluice_at(p, 100)))
        w("")

    # --- caveats
    w("## What these figures do not say")
    w("")
    w("- **No NIC.** memif copies every frame into and out of shared memory on both sides; "
      "a NIC does DMA instead. Hardware figures come from DPDK pktgen against a Sluice box "
      "([pktgen](../benchmarks.md#dpdk-pktgen-against-a-sluice-box)).")
    w("- **A shared, virtual machine.** The hypervisor can take a vCPU away at any moment, "
      "and other jobs ran during the run (load above). A stall of a millisecond overflows "
      "memif's 1,024-slot ring at these rates, so the NDR (zero loss) is the figure most "
      "sensitive to it; the PDR much less. Compare runs on one machine, not across machines.")
    w("- **Short trials, one run each.** Repeat a run to see its spread; "
      "`build/bench-results/%s/*.json` keeps every trial." % prof)
    w("- **One worker.** Scaling over workers (RSS) is not measured on %d CPUs." % m["nproc"])
    w("")
    with open(os.path.join(a.out, prof + ".md"), "w") as f:
        f.write("\n".join(L) + "\n")
    def no_cdf(x):
        if isinstance(x, dict):
            return {k: no_cdf(v) for k, v in x.items() if k != "cdf"}
        return x
    with open(os.path.join(a.out, prof + ".json"), "w") as f:
        json.dump(no_cdf(figs), f, indent=1, default=str)
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=int, default=0)
    a = ap.parse_args()
    meta = load(os.path.join(a.results, "meta.json"))
    if meta is None:
        print("bench_report: %s/meta.json missing" % a.results, file=sys.stderr)
        return 1
    relay = runs_of(a.results, "relay")
    ceil = runs_of(a.results, "ceiling")
    turn_cmp = load(os.path.join(a.results, "turn-compare.json"))
    loads = list(meta.get("load", []))
    for ph in ("load-relay.json", "load-ceiling.json", "load-end.json"):
        x = load(os.path.join(a.results, ph))
        if x:
            loads.append(x)
    os.makedirs(a.out, exist_ok=True)
    coturn = runs_of(a.results, "coturn")
    paths = write_report(a, meta, relay, ceil, turn_cmp, loads, coturn)
    frame = 214
    plot_throughput(relay, ceil, frame, paths, os.path.join(a.out, a.profile + "-throughput.png"))
    plot_cdf(relay, ceil, paths, os.path.join(a.out, a.profile + "-latency-cdf.png"))
    plot_cycles(relay, paths, os.path.join(a.out, a.profile + "-cycles.png"))
    print("bench_report: wrote %s/%s.md and its plots" % (a.out, a.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
