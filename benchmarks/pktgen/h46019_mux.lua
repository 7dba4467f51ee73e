-- SPDX-License-Identifier: BSD-3-Clause
-- h46019_mux.lua — a Wireshark/tshark dissector for H.460.19 multiplexed
-- media as Sluice relays it: each UDP datagram on a demultiplexing port
-- starts with a 4-byte multiplexID (network order), then the unmodified
-- RTP or RTCP packet. Wireshark knows neither the framing nor the ports.
--
--   tshark -X lua_script:benchmarks/pktgen/h46019_mux.lua -r m2m.pcap
--   SLUICE_DEMUX_PORT=36000 (default) and the next one are registered;
--   SLUICE_DEMUX_PAIRS=6 for the large profile's 36000-36011.
--
-- Fields: h46019mux.id (the multiplexID), then rtp.* or rtcp.* as usual.

local mux = Proto("h46019mux", "H.460.19 multiplexed media")
local f_id = ProtoField.uint32("h46019mux.id", "multiplexID", base.HEX)
mux.fields = { f_id }

local rtp = Dissector.get("rtp")
local rtcp = Dissector.get("rtcp")

function mux.dissector(tvb, pinfo, tree)
  if tvb:len() < 4 + 8 then
    return 0
  end
  local sub = tree:add(mux, tvb(0, 4))
  sub:add(f_id, tvb(0, 4))
  pinfo.cols.protocol = "H.460.19"
  local inner = tvb(4):tvb()
  -- RTCP packet types are 192-223 (RFC 5761 §4); RTP's byte 1 is M|PT
  local pt = inner(1, 1):uint()
  if pt >= 192 and pt <= 223 then
    rtcp:call(inner, pinfo, tree)
  else
    rtp:call(inner, pinfo, tree)
  end
  return tvb:len()
end

local first = tonumber(os.getenv("SLUICE_DEMUX_PORT") or "36000")
local pairs_n = tonumber(os.getenv("SLUICE_DEMUX_PAIRS") or "1")
local udp = DissectorTable.get("udp.port")
for p = first, first + 2 * pairs_n - 1 do
  udp:add(p, mux)
end
