-- SPDX-License-Identifier: BSD-3-Clause
-- range_media.lua — DPDK Pktgen 23.x, range mode over Sluice's media port
-- pairs: plain → plain relay, one flow per A leg.
--
-- Legs first, on the Sluice box (A on the TX port's address, B on the RX
-- port's; A's media ports are one run from 36002):
--   sluice-bench --setup-only --instance NAME --paths p2p --flows 64 \
--     --a-ip 198.18.1.1 --b-ip 198.18.1.1      # one pktgen port
--                     (--b-ip 198.18.2.1 with a second port as receiver)
-- then: pktgen ... -- -P -m "[1:2].0" -f range_media.lua
--
-- Packet k goes from A's port 10000 + 2k to the relay's 36002 + 2k (RTP);
-- with SLUICE_RTCP=1 the run steps by 1 and every other packet is RTCP to
-- the odd port. The relay sends each out of B's port to B's address: the
-- frame length does not change, so pktgen's latency is meaningful here.
package.path = package.path .. ";" .. (os.getenv("SLUICE_PKTGEN_DIR") or ".") .. "/?.lua"
require "Pktgen"
local sl = require "sluice"
local c = sl.cfg

sl.check()
pktgen.screen("off")
sl.port_common(c.tx)
local step = c.rtcp and 1 or 2
local n = c.rtcp and 2 * c.flows or c.flows
sl.range(c.tx, c.a_port, c.first_port, n, step, sl.RTP_PATTERN)
pktgen.latency(c.rx, "enable")
sl.report("range-media", sl.run(c.rate, c.seconds, true))
pktgen.latency(c.rx, "disable")
pktgen.set_range(c.tx, "off")
