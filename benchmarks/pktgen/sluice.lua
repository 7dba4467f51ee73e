-- SPDX-License-Identifier: BSD-3-Clause
-- sluice.lua — shared by the Sluice scripts for DPDK Pktgen 23.x (its Lua
-- is 5.4). docs/benchmarks/pktgen.md says how to run them against a Sluice
-- box. Settings come from the environment, so that one script serves every
-- box:
--
--   SLUICE_RELAY_MAC   the MAC of the Sluice port pktgen sends to (required)
--   SLUICE_RELAY_IP    the Sluice interface's address      (198.18.0.1)
--   SLUICE_TX_PORT     pktgen port that sends              ("0")
--   SLUICE_RX_PORT     pktgen port the relayed frames reach (the TX port)
--   SLUICE_A_IP        the senders' address (TX port's IP) (198.18.1.1)
--   SLUICE_PREFIX      prefix length of that address       (15)
--   SLUICE_A_PORT      first sender UDP port               (10000)
--   SLUICE_FLOWS       legs programmed by sluice-bench --setup-only (64)
--   SLUICE_SIZE        frame size incl. FCS                (214)
--   SLUICE_RATE        percent of the link                 (10)
--   SLUICE_SECONDS     per run or trial                    (10)
--   SLUICE_FIRST_PORT  A's first media port                (36002)
--   SLUICE_DEMUX_PORT  the demultiplexing RTP port         (36000)
--   SLUICE_MUX_ID      4 ASCII bytes: A's multiplexID      ("SLB1")
--   SLUICE_RTCP        1: range over RTP and RTCP ports    (0)
--   SLUICE_LINK_GBPS   the link, for Mpps and line rate    (10)

local M = {}

local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    return default
  end
  return v
end

M.cfg = {
  relay_mac = env("SLUICE_RELAY_MAC", nil),
  relay_ip = env("SLUICE_RELAY_IP", "198.18.0.1"),
  tx = env("SLUICE_TX_PORT", "0"),
  rx = env("SLUICE_RX_PORT", env("SLUICE_TX_PORT", "0")),
  a_ip = env("SLUICE_A_IP", "198.18.1.1"),
  prefix = env("SLUICE_PREFIX", "15"),
  a_port = tonumber(env("SLUICE_A_PORT", "10000")),
  flows = tonumber(env("SLUICE_FLOWS", "64")),
  size = tonumber(env("SLUICE_SIZE", "214")),
  rate = tonumber(env("SLUICE_RATE", "10")),
  seconds = tonumber(env("SLUICE_SECONDS", "10")),
  first_port = tonumber(env("SLUICE_FIRST_PORT", "36002")),
  demux_port = tonumber(env("SLUICE_DEMUX_PORT", "36000")),
  mux_id = env("SLUICE_MUX_ID", "SLB1"),
  rtcp = env("SLUICE_RTCP", "0") == "1",
  link_gbps = tonumber(env("SLUICE_LINK_GBPS", "10")),
}

-- An RTP-looking start of payload without a NUL byte (pktgen's user
-- pattern is a C string): version 2, PT 96, sequence 0x0101, then 0x01s.
M.RTP_PATTERN = "\x80\x60\x01\x01\x01\x01\x01\x01SLBx"

function M.check()
  local c = M.cfg
  if c.relay_mac == nil then
    error("set SLUICE_RELAY_MAC to the Sluice port's MAC address")
  end
  if #c.mux_id ~= 4 then
    error("SLUICE_MUX_ID must be 4 characters (the multiplexID's bytes)")
  end
  if c.size < 64 or c.size > 1518 then
    error("SLUICE_SIZE must be 64..1518 (frame incl. FCS)")
  end
end

function M.line_rate_mpps(gbps, size)
  return gbps * 1e3 / ((size + 20) * 8)
end

-- The part every mode shares: addresses, size, UDP, run forever.
function M.port_common(port)
  local c = M.cfg
  pktgen.set_mac(port, "dst", c.relay_mac)
  pktgen.set_ipaddr(port, "src", c.a_ip .. "/" .. c.prefix)
  pktgen.set_ipaddr(port, "dst", c.relay_ip)
  pktgen.set_proto(port, "udp")
  pktgen.set(port, "size", c.size)
  pktgen.set(port, "count", 0)
  pktgen.set(port, "burst", 32)
  -- the receiving port answers Sluice's ARP for B's address (with one port
  -- Sluice learns A = B from the media itself); pcall: an older pktgen
  -- without the call still runs
  pcall(pktgen.process, c.rx, "enable")
end

-- Range mode: UDP destination ports walk [dport, dport + n*step) and the
-- source ports [sport, ...) in step, so packet k goes from sport + k*step
-- to dport + k*step: flow k's A address and A's relay port.
function M.range(port, sport, dport, n, step, pattern)
  local c = M.cfg
  local r = pktgen.range
  r.dst_mac(port, "start", c.relay_mac)
  r.src_ip(port, "start", c.a_ip)
  r.src_ip(port, "inc", "0.0.0.0")
  r.src_ip(port, "min", c.a_ip)
  r.src_ip(port, "max", c.a_ip)
  r.dst_ip(port, "start", c.relay_ip)
  r.dst_ip(port, "inc", "0.0.0.0")
  r.dst_ip(port, "min", c.relay_ip)
  r.dst_ip(port, "max", c.relay_ip)
  r.ip_proto(port, "udp")
  r.src_port(port, "start", sport)
  r.src_port(port, "inc", step)
  r.src_port(port, "min", sport)
  r.src_port(port, "max", sport + (n - 1) * step)
  r.dst_port(port, "start", dport)
  r.dst_port(port, "inc", step)
  r.dst_port(port, "min", dport)
  r.dst_port(port, "max", dport + (n - 1) * step)
  r.pkt_size(port, "start", c.size)
  r.pkt_size(port, "inc", 0)
  r.pkt_size(port, "min", c.size)
  r.pkt_size(port, "max", c.size)
  pktgen.pattern(port, "user")
  pktgen.userPattern(port, pattern)
  pktgen.set_range(port, "on")
end

local function port_stats(port)
  local s = pktgen.portStats(port, "port")
  return s[tonumber(port)]
end

-- One run at `rate` percent for `seconds`: what left the TX port and what
-- reached the RX port (after a drain), and latency when it was enabled.
function M.run(rate, seconds, latency)
  local c = M.cfg
  pktgen.set(c.tx, "rate", rate)
  pktgen.clr()
  pktgen.delay(200)
  local tx0 = port_stats(c.tx).opackets
  local rx0 = port_stats(c.rx).ipackets
  pktgen.start(c.tx)
  pktgen.delay(math.floor(seconds * 1000))
  pktgen.stop(c.tx)
  pktgen.delay(500)           -- stragglers
  local tx = port_stats(c.tx).opackets - tx0
  local rx = port_stats(c.rx).ipackets - rx0
  local r = {
    rate = rate, seconds = seconds, tx = tx, rx = rx,
    loss = tx > rx and tx - rx or 0,
    tx_mpps = tx / seconds / 1e6, rx_mpps = rx / seconds / 1e6,
  }
  r.loss_ratio = tx > 0 and r.loss / tx or 1
  if latency then
    local p = pktgen.pktStats(c.rx)[tonumber(c.rx)]
    if p ~= nil and p.avg_latency ~= nil then
      r.lat_avg_us, r.lat_min_us, r.lat_max_us =
        p.avg_latency, p.min_latency, p.max_latency
    end
  end
  return r
end

-- One line for people, one for scripts (grep SLUICE-RESULT).
function M.report(name, r)
  local c = M.cfg
  local lr = M.line_rate_mpps(c.link_gbps, c.size)
  print(string.format("%s: %.0f%% for %.0f s: sent %d (%.3f Mpps), received %d "
    .. "(%.3f Mpps), loss %d (%.4f%%); %d-byte frames, %.0f GbE line rate %.2f Mpps",
    name, r.rate, r.seconds, r.tx, r.tx_mpps, r.rx, r.rx_mpps, r.loss,
    100 * r.loss_ratio, c.size, c.link_gbps, lr))
  if r.lat_avg_us ~= nil then
    print(string.format("%s: latency avg %d us, min %d us, max %d us",
      name, r.lat_avg_us, r.lat_min_us, r.lat_max_us))
  end
  print(string.format("SLUICE-RESULT test=%s rate_pct=%.3f tx=%d rx=%d loss=%d "
    .. "tx_mpps=%.4f rx_mpps=%.4f size=%d", name, r.rate, r.tx, r.rx, r.loss,
    r.tx_mpps, r.rx_mpps, c.size))
end

-- RFC 2544 throughput: the highest rate (percent of the link) with no
-- loss, by halving; `trial(rate)` returns M.run's table.
function M.ndr(name, trial, resolution)
  local lo, hi, best = 0, 100, nil
  local r = trial(100)
  if r.loss == 0 then
    M.report(name .. "-ndr", r)
    return r
  end
  local rate = 50
  while hi - lo > resolution do
    r = trial(rate)
    print(string.format("%s: trial %.2f%%: loss %d of %d", name, rate, r.loss, r.tx))
    if r.loss == 0 then
      lo, best = rate, r
    else
      hi = rate
    end
    rate = (lo + hi) / 2
  end
  if best ~= nil then
    M.report(name .. "-ndr", best)
  else
    print(name .. ": no loss-free rate above " .. resolution .. "%")
  end
  return best
end

return M
