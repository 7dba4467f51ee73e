-- SPDX-License-Identifier: BSD-3-Clause
-- pcap_replay.lua — DPDK Pktgen 23.x replays one of the traffic mixes of
-- make_pcaps.py against a Sluice box: p2p, p2m, m2p, m2m (every flow its
-- own multiplexID), turn-cd, turn-send, mixed.
--
--   make_pcaps.py --out pcaps --flows 64 --relay-mac <Sluice port MAC> \
--     --src-mac <pktgen port MAC> --a-ip 198.18.1.1 --b-ip 198.18.1.1
--   sluice-bench --setup-only --instance NAME --paths m2m --flows 64 \
--     --a-ip 198.18.1.1 --b-ip 198.18.1.1      # the same layout
--   pktgen ... -- -P -m "[1:2].0" -s 0:pcaps/m2m.pcap -f pcap_replay.lua
--
-- No latency here: on p2m and m2p the relay adds or strips 4 bytes, which
-- moves pktgen's timestamp; use the range scripts for latency.
package.path = package.path .. ";" .. (os.getenv("SLUICE_PKTGEN_DIR") or ".") .. "/?.lua"
require "Pktgen"
local sl = require "sluice"
local c = sl.cfg

sl.check()
pktgen.screen("off")
pktgen.pcap(c.tx, "on")
sl.report("pcap", sl.run(c.rate, c.seconds, false))
pktgen.pcap(c.tx, "off")
