-- SPDX-License-Identifier: BSD-3-Clause
-- ndr.lua — DPDK Pktgen 23.x: RFC 2544 throughput (the highest loss-free
-- rate, by halving) of a Sluice box, in one of the modes of the other
-- scripts: SLUICE_MODE=media (range over the media ports, default),
-- demux (range over the demultiplexing pair) or pcap (-s P:FILE given).
-- SLUICE_SECONDS per trial (RFC 2544 asks for 60), SLUICE_RESOLUTION in
-- percent of the link (default 0.5). The legs as the mode's script says.
package.path = package.path .. ";" .. (os.getenv("SLUICE_PKTGEN_DIR") or ".") .. "/?.lua"
require "Pktgen"
local sl = require "sluice"
local c = sl.cfg
local mode = os.getenv("SLUICE_MODE") or "media"
local resolution = tonumber(os.getenv("SLUICE_RESOLUTION") or "0.5")

sl.check()
pktgen.screen("off")
if mode == "pcap" then
  pktgen.pcap(c.tx, "on")
else
  sl.port_common(c.tx)
  if mode == "demux" then
    sl.range(c.tx, c.a_port, c.demux_port, 1, 1, c.mux_id .. sl.RTP_PATTERN)
  else
    sl.range(c.tx, c.a_port, c.first_port, c.flows, 2, sl.RTP_PATTERN)
  end
end
sl.ndr("ndr-" .. mode, function(rate) return sl.run(rate, c.seconds, false) end,
       resolution)
