-- SPDX-License-Identifier: BSD-3-Clause
-- range_demux.lua — DPDK Pktgen 23.x, range mode over Sluice's
-- demultiplexing ports: multiplexed media (H.460.19 framing) relayed
-- mux → mux.
--
-- The multiplexID is the first 4 bytes of the UDP payload, which pktgen's
-- range mode cannot vary per packet: it comes from the user pattern
-- (SLUICE_MUX_ID, 4 characters, default "SLB1" = 0x534c4231), so this is
-- one multiplexed flow, RTP and (SLUICE_RTCP=1) RTCP on the pair. For many
-- multiplexed flows replay m2m.pcap (pcap_replay.lua).
--
-- Legs first, on the Sluice box:
--   sluice-bench --setup-only --instance NAME --paths m2m --flows 1 \
--     --mux-in-base 0x534c4231 --a-ip 198.18.1.1 --b-ip 198.18.1.1
--
-- The relay rewrites the ID in place (B's multiplexID): the frame length
-- does not change, so pktgen's latency is meaningful here.
package.path = package.path .. ";" .. (os.getenv("SLUICE_PKTGEN_DIR") or ".") .. "/?.lua"
require "Pktgen"
local sl = require "sluice"
local c = sl.cfg

sl.check()
pktgen.screen("off")
sl.port_common(c.tx)
local n = c.rtcp and 2 or 1
sl.range(c.tx, c.a_port, c.demux_port, n, 1, c.mux_id .. sl.RTP_PATTERN)
pktgen.latency(c.rx, "enable")
sl.report("range-demux", sl.run(c.rate, c.seconds, true))
pktgen.latency(c.rx, "disable")
pktgen.set_range(c.tx, "off")
