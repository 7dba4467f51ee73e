#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""test_h225_tshark.py — Wireshark as the judge of the RAS encoder.

Runs h225_pcap_gen (every sample message, one UDP/1719 frame each), has
tshark dissect the capture (-T pdml), and checks for every frame that:
  - it is H.225.0 RAS with the intended RasMessage alternative;
  - Wireshark saw no malformed packet and raised no expert info (and
    does flag the deliberately truncated last frame, so that check is
    known to work);
  - the key values (sequence numbers, aliases, timeToLive, keepAlive,
    reject reasons, H.460.18/19 features, the SCI's callSignallingAddress
    and callID, ...) are what the sample says, in encoding order.

  test_h225_tshark.py PATH/TO/h225_pcap_gen

Exits 77 (skip) when tshark is not installed. Standard library only.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SKIP = 77

# Per sample: (field, shown value) pairs that must appear in this order
# among the frame's h225/h235/h460 fields ("h225." left out of the names).
EP_RAS = [("ipV4", "192.0.2.20"), ("ipV4_port", "1719")]
EP_CS = [("ipV4", "192.0.2.20"), ("ipV4_port", "1720")]
GK_RAS = [("ipV4", "203.0.113.10"), ("ipV4_port", "1719")]
GK_CS = [("ipV4", "203.0.113.10"), ("ipV4_port", "1720")]
V4 = [("protocolIdentifier", "0.0.8.2250.0.4")]
VENDOR = [("t35CountryCode", "181"), ("manufacturerCode", "23569"),
          ("productId", "Sluice"), ("versionId", "0.1.0")]
PWD_HASH = [("CryptoH323Token", "0"), ("alias", "1"), ("h323_ID", "alice"),
            ("h235.algorithmOID", "1.2.840.113549.2.5"),
            ("h235.hash", "9e:10:7d:9d:37:2b:b6:82:6b:d8:1d:35:42:a4:19:d6")]
CALL_ID = [("guid", "ca111d00-1234-5678-9abc-def00fedcba9")]
CONF_ID = [("conferenceID", "5e1ce001-7a2b-11ee-9a10-001b213c4d5e")]
ALT_GK = [("ipV4", "203.0.113.11"), ("ipV4_port", "1719"),
          ("gatekeeperIdentifier", "sluice-gk2"), ("needToRegister", "1"),
          ("priority", "1")]
H460_EP = [("supportedFeatures", "2"), ("standard", "18"),
           ("standard", "19"), ("parameters", "1"), ("standard", "1")]
H460_GK = [("supportedFeatures", "2"), ("standard", "18"),
           ("standard", "19"), ("parameters", "1"), ("standard", "2")]

EXPECT = {
    "grq": [("requestSeqNum", "1")] + V4 + EP_RAS + VENDOR + [
        ("gatekeeperIdentifier", "sluice-gk"), ("endpointAlias", "2"),
        ("h323_ID", "alice"), ("dialledDigits", "1001"),
        ("authenticationCapability", "1"), ("AuthenticationMechanism", "2"),
        ("algorithmOIDs_item", "1.2.840.113549.2.5")] + H460_EP + [
        ("supportsAssignedGK", "0")],
    "grq-minimal": [("requestSeqNum", "1")] + V4 + EP_RAS + [
        ("mc", "0"), ("undefinedNode", "0"), ("supportsAssignedGK", "0")],
    "gcf": [("requestSeqNum", "1")] + V4 + [
        ("gatekeeperIdentifier", "sluice-gk")] + GK_RAS + [
        ("authenticationMode", "2"),
        ("algorithmOID", "1.2.840.113549.2.5")] + H460_GK,
    "grj": [("requestSeqNum", "2"), ("gatekeeperIdentifier", "sluice-gk"),
            ("rejectReason", "4")],                  # securityDenial
    "rrq": [("requestSeqNum", "3")] + V4 + [
        ("discoveryComplete", "1"), ("callSignalAddress", "1")] + EP_CS + [
        ("rasAddress", "1")] + EP_RAS + VENDOR + [
        ("terminalAlias", "4"), ("h323_ID", "alice"), ("dialledDigits", "1001"),
        ("url_ID", "h323:alice@example.com"),
        ("email_ID", "alice@example.com"),
        ("gatekeeperIdentifier", "sluice-gk")] + VENDOR + [
        ("timeToLive", "300"), ("cryptoTokens", "1")] + PWD_HASH + [
        ("keepAlive", "0"), ("multipleCalls", "0")] + H460_EP + [
        ("supportsAssignedGK", "0")],
    "rrq-keepalive": [("requestSeqNum", "4")] + V4 + [
        ("discoveryComplete", "0")] + EP_CS + EP_RAS + [
        ("gatekeeperIdentifier", "sluice-gk"), ("timeToLive", "300"),
        ("tokens", "1"), ("h235.tokenOID", "0.0.8.235.0.2.5"),
        ("h235.random", "123456789"), ("h235.generalID", "sluice-gk"),
        ("h235.sendersID", "EP0001"), ("cryptoTokens", "1")] + PWD_HASH + [
        ("keepAlive", "1"), ("endpointIdentifier", "EP0001")],
    "rrq-gateway": [("requestSeqNum", "5"),
                    ("protocolIdentifier", "0.0.8.2250.0.7"),
                    ("nonStandardIdentifier", "1"), ("data", "4"),
                    ("protocol", "2"), ("SupportedProtocols", "7"),
                    ("channelRate", "640"), ("channelMultiplier", "2"),
                    ("dialledDigits", "9"), ("SupportedProtocols", "5"),
                    ("set", "80:00:00:01"), ("terminalAlias", "3"),
                    ("partyNumber", "0"), ("publicTypeOfNumber", "1"),
                    ("publicNumberDigits", "4930123456"), ("transportID", "0"),
                    ("ipV4", "192.0.2.30"),
                    ("dialledDigits", "#*,0123456789"),
                    ("enterpriseNumber", "1.3.6.1.4.1.99999"),
                    ("keepAlive", "0"), ("willSupplyUUIEs", "1"),
                    ("maintainConnection", "1"), ("supportsAssignedGK", "1")],
    "rcf": [("requestSeqNum", "3")] + V4 + GK_CS + [
        ("terminalAlias", "2"), ("gatekeeperIdentifier", "sluice-gk"),
        ("endpointIdentifier", "EP0001"), ("timeToLive", "300"),
        ("willRespondToIRR", "0"), ("makeCall", "1"),
        ("irrFrequencyInCall", "120"), ("maintainConnection", "0")] + H460_GK,
    "rrj": [("requestSeqNum", "5"), ("rejectReason", "11"),  # securityDenial
            ("gatekeeperIdentifier", "sluice-gk")],
    "rrj-duplicate": [("requestSeqNum", "6"), ("rejectReason", "4"),
                      ("duplicateAlias", "1"), ("h323_ID", "alice")],
    "urq": [("requestSeqNum", "7")] + EP_CS + [
        ("h323_ID", "alice"), ("endpointIdentifier", "EP0001"),
        ("gatekeeperIdentifier", "sluice-gk"), ("reason", "1")],  # ttlExpired
    "ucf": [("requestSeqNum", "7")],
    "urj": [("requestSeqNum", "8"), ("rejectReason", "0")],
    "arq": [("requestSeqNum", "9"), ("callType", "0"), ("callModel", "1"),
            ("endpointIdentifier", "EP0001"), ("destinationInfo", "1"),
            ("dialledDigits", "2002"), ("srcInfo", "1"),
            ("h323_ID", "alice")] + EP_CS + [
        ("bandWidth", "1280"), ("callReferenceValue", "4321")] + CONF_ID + [
        ("activeMC", "0"), ("answerCall", "0"), ("canMapAlias", "1")] +
        CALL_ID + [("gatekeeperIdentifier", "sluice-gk")] + PWD_HASH + [
        ("willSupplyUUIEs", "0"), ("canMapSrcAlias", "0")],
    "acf": [("requestSeqNum", "9"), ("bandWidth", "1280"),
            ("callModel", "1")] + GK_CS + [
        ("irrFrequency", "30"), ("willRespondToIRR", "0"), ("setup", "0"),
        ("notify", "0"), ("genericData", "2"), ("standard", "18"),
        ("standard", "19"), ("standard", "2")],
    "arj": [("requestSeqNum", "10"), ("rejectReason", "0")],
    "acf-sequence": [("admissionConfirmSequence", "2"),
                     ("requestSeqNum", "9"), ("bandWidth", "1280"),
                     ("requestSeqNum", "9"), ("bandWidth", "640")],
    "brq": [("requestSeqNum", "11"), ("endpointIdentifier", "EP0001")] +
        CONF_ID + [("callReferenceValue", "4321"), ("bandWidth", "3840")] +
        CALL_ID + [("answeredCall", "0")],
    "bcf": [("requestSeqNum", "11"), ("bandWidth", "3840")],
    "brj": [("requestSeqNum", "12"), ("rejectReason", "3"),
            ("allowedBandWidth", "1280")],
    "lrq": [("requestSeqNum", "13"), ("destinationInfo", "2"),
            ("dialledDigits", "2002"), ("h323_ID", "bob")] + GK_RAS + [
        ("sourceInfo", "1"), ("h323_ID", "alice"), ("canMapAlias", "1"),
        ("gatekeeperIdentifier", "neighbour-gk"), ("hopCount", "5")] +
        CALL_ID + [("bandWidth", "1280"), ("canMapSrcAlias", "0")],
    "lcf": [("requestSeqNum", "13")] + GK_CS + GK_RAS + [
        ("destinationInfo", "2"), ("dialledDigits", "2002"),
        ("h323_ID", "bob")],
    "lrj": [("requestSeqNum", "14"), ("rejectReason", "10")],
    "drq": [("requestSeqNum", "15"), ("endpointIdentifier", "EP0001")] +
        CONF_ID + [("callReferenceValue", "4321"),
                   ("disengageReason", "1")] + CALL_ID + [
        ("gatekeeperIdentifier", "sluice-gk"), ("answeredCall", "0")],
    "dcf": [("requestSeqNum", "15")],
    "drj": [("requestSeqNum", "16"), ("rejectReason", "0")],
    "irq": [("requestSeqNum", "17"), ("callReferenceValue", "0")] + GK_RAS,
    "irr": [("requestSeqNum", "17")] + VENDOR + [
        ("endpointIdentifier", "EP0001")] + EP_RAS + EP_CS + [
        ("h323_ID", "alice"), ("perCallInfo", "1"),
        ("callReferenceValue", "4321")] + CONF_ID + [
        ("originator", "1"), ("audio", "1"), ("ipV4_port", "5004"),
        ("ipV4_port", "5005"), ("cname", "alice-192.0.2.20"),
        ("ssrc", "305419896"), ("sessionId", "1"),
        ("associatedSessionIds_item", "2"), ("bandwidth", "640"),
        ("callType", "0"), ("bandWidth", "1280"), ("callModel", "1")] +
        CALL_ID + [("substituteConfIDs", "1"), ("needResponse", "1"),
                   ("irrStatus", "0"), ("unsolicited", "0")],
    "nsm": [("requestSeqNum", "18"), ("object", "1.3.6.1.4.1.99999.1"),
            ("data", "4")],
    "xrs": [("requestSeqNum", "19"), ("messageNotUnderstood", "7f:00:01")],
    "rip": [("requestSeqNum", "20"), ("delay", "5000")],
    "rai": [("requestSeqNum", "21")] + V4 + [
        ("endpointIdentifier", "GW0001"), ("protocols", "1"),
        ("SupportedProtocols", "7"), ("almostOutOfResources", "1")],
    "rac": [("requestSeqNum", "21")] + V4,
    # every GenericData Content alternative
    "rac-content": [("requestSeqNum", "23"), ("genericData", "1"),
                    ("standard", "99"), ("parameters", "12"),
                    ("content", "0"), ("raw", "01:02:03"),
                    ("content", "1"), ("text", "hello"),
                    ("content", "2"), ("unicode", "hi"),
                    ("content", "3"), ("bool", "1"),
                    ("content", "4"), ("number8", "200"),
                    ("content", "5"), ("number16", "36000"),
                    ("content", "6"), ("number32", "123456"),
                    ("oid", "1.3.6.1.4.1.99999.2"), ("content", "7"),
                    ("nonStandard", "aabbccdd-0000-0000-0000-000000000000"),
                    ("content", "8"), ("h323_ID", "bob"),
                    ("content", "9"), ("ipV4", "198.51.100.7"),
                    ("ipV4_port", "36000"),
                    ("content", "10"), ("compound", "1"), ("standard", "7"),
                    ("content", "11"), ("nested", "1"), ("standard", "42"),
                    ("parameters", "1"), ("standard", "7")],
    "iack": [("requestSeqNum", "17")],
    "inak": [("requestSeqNum", "17"), ("nakReason", "3"),
             ("securityError", "1")],
    # H.460.18: the SCI asks the endpoint to connect to 203.0.113.10:2777
    "sci": [("requestSeqNum", "22"), ("serviceControl", "0"),
            ("genericData", "1"), ("standard", "18"), ("parameters", "1"),
            ("standard", "1"), ("content", "0"),
            ("h460.18.callSignallingAddress", "0"), ("ipV4", "203.0.113.10"),
            ("ipV4_port", "2777")] + CALL_ID,
    "scr": [("requestSeqNum", "22"), ("result", "0"), ("genericData", "1"),
            ("standard", "18"), ("standard", "2"),
            ("h460.18.lrqKeepAliveInterval", "30")],
    # more additions, so that their positions are judged too
    "rcf-full": [("requestSeqNum", "24"), ("endpointIdentifier", "EP0001"),
                 ("alternateGatekeeper", "1")] + ALT_GK + [
        ("timeToLive", "300"), ("irrFrequencyInCall", "120"),
        ("serviceControl", "2"), ("sessionId", "1"), ("contents", "0"),
        ("url", "http://203.0.113.10/info"), ("reason", "0"),
        ("sessionId", "2"), ("contents", "3"), ("amountString", "EUR 1.00"),
        ("callDurationLimit", "3600"), ("reason", "1"),
        ("supportedPrefixes", "1"), ("dialledDigits", "9"),
        ("featureServerAlias", "1"), ("h323_ID", "bob")] + H460_GK + [
        ("genericData", "1"), ("standard", "18")] + ALT_GK + [
        ("rehomingModel", "1")],
    "urq-full": [("requestSeqNum", "25"), ("cryptoTokens", "1")] +
        PWD_HASH + [("reason", "5"), ("securityError", "5"),
                    ("supportedPrefixes", "1"),
                    ("alternateGatekeeper", "1")] + ALT_GK + [
        ("genericData", "1"), ("standard", "18")] + ALT_GK,
    "grj-full": [("requestSeqNum", "26"), ("rejectReason", "7"),
                 ("securityError", "15"), ("alternateGatekeeper", "1")] +
        ALT_GK + [("altGKisPermanent", "1"),
                  ("replacementFeatureSet", "1"), ("neededFeatures", "1"),
                  ("standard", "18"), ("genericData", "2")],
    "arq-full": [("requestSeqNum", "27"), ("destCallSignalAddress", "0")] +
        GK_CS + [("destExtraCallInfo", "2"), ("q932Full", "1"),
                 ("threePartyService", "1")] + CONF_ID + CALL_ID + [
        ("willSupplyUUIEs", "0"),
        ("threadId", "5e1ce001-7a2b-11ee-9a10-001b213c4d5e"),
        ("channelRate", "640"), ("desiredProtocols", "1"),
        ("SupportedProtocols", "7"), ("desiredFeatures", "2"),
        ("genericData", "1"), ("canMapSrcAlias", "1")],
    "irq-full": [("requestSeqNum", "28")] + GK_RAS + CALL_ID + [
        ("setup", "1"), ("notify", "1"),
        ("globalCallId", "5e1ce001-7a2b-11ee-9a10-001b213c4d5e"),
        ("nextSegmentRequested", "3")] + ALT_GK,
    "drq-full": [("requestSeqNum", "29")] + CALL_ID + [
        ("answeredCall", "0"),
        ("threadId", "5e1ce001-7a2b-11ee-9a10-001b213c4d5e"),
        ("serviceControl", "1"), ("url", "http://203.0.113.10/info"),
        ("genericData", "2"), ("standard", "19"), ("standard", "2")],
    "sci-full": [("requestSeqNum", "30"), ("serviceControl", "1"),
                 ("url", "http://203.0.113.10/info"),
                 ("endpointIdentifier", "EP0001")] + CALL_ID + CONF_ID + [
        ("answeredCall", "1"), ("supportedFeatures", "1"),
        ("standard", "18"), ("genericData", "1"), ("standard", "18"),
        ("standard", "1"), ("h460.18.callSignallingAddress", "0"),
        ("ipV4", "203.0.113.10"), ("ipV4_port", "2777")] + CALL_ID,
}


def frame_fields(packet):
    """(name, show) of every h225/h235/h460 field, "h225." dropped."""
    out = []
    for f in packet.iter("field"):
        name = f.get("name") or ""
        if name.startswith("h225."):
            out.append((name[5:], f.get("show")))
        elif name.startswith(("h235.", "h460.")):
            out.append((name, f.get("show")))
    return out


def missing_in_order(fields, expected):
    """The first expected pair not found after the previous one, or None."""
    at = 0
    for pair in expected:
        while at < len(fields) and fields[at] != pair:
            at += 1
        if at == len(fields):
            return pair
        at += 1
    return None


def problems_in(packet):
    """Malformed markers and expert infos anywhere in the packet."""
    found = []
    for el in packet.iter():
        name = el.get("name") or ""
        if name.startswith(("_ws.malformed", "_ws.expert")) or \
                "Malformed" in (el.get("showname") or ""):
            found.append(el.get("showname") or name)
    return found


def main():
    if len(sys.argv) != 2:
        print("usage: test_h225_tshark.py PATH/TO/h225_pcap_gen")
        return 2
    tshark = shutil.which("tshark")
    if tshark is None:
        print("SKIP: tshark is not installed (apt-get install tshark)")
        return SKIP
    failures = 0
    with tempfile.TemporaryDirectory(prefix="h225-tshark-") as tmp:
        pcap = os.path.join(tmp, "ras.pcap")
        gen = subprocess.run([sys.argv[1], pcap], capture_output=True,
                             text=True, check=False)
        if gen.returncode != 0:
            print("h225_pcap_gen failed:", gen.stderr)
            return 1
        frames = [line.split() for line in gen.stdout.splitlines()]
        env = dict(os.environ, HOME=tmp)  # no user profile, no prefs
        pdml = subprocess.run([tshark, "-n", "-r", pcap, "-T", "pdml"],
                              capture_output=True, text=True, env=env,
                              check=False)
        text = subprocess.run([tshark, "-n", "-r", pcap, "-V"],
                              capture_output=True, text=True, env=env,
                              check=False)
        if pdml.returncode != 0 or text.returncode != 0:
            print("tshark failed:", pdml.stderr, text.stderr)
            return 1
    packets = ET.fromstring(pdml.stdout).findall("packet")
    if len(packets) != len(frames):
        print("tshark saw %d frames, %d were written" %
              (len(packets), len(frames)))
        return 1
    canaries = sum(1 for f in frames if f[1].startswith("canary"))
    malformed = text.stdout.count("[Malformed Packet:")
    if malformed != canaries:
        print("FAIL: %d frames 'Malformed Packet' in tshark -V, %d canaries" %
              (malformed, canaries))
        failures += 1
    for (num, sample, tag, asn1), packet in zip(frames, packets):
        fields = frame_fields(packet)
        what = "frame %s (%s)" % (num, sample)
        if sample.startswith("canary"):
            # A broken encoding on purpose: the checks must catch it.
            if problems_in(packet):
                print("ok: %s flagged by Wireshark as it must be" % what)
            else:
                print("FAIL: %s: truncated frame not flagged; the "
                      "malformed check is blind" % what)
                failures += 1
            continue
        if not fields or fields[0] != ("RasMessage", tag):
            print("FAIL: %s: not RasMessage %s (%s): %s" %
                  (what, tag, asn1, fields[:2]))
            failures += 1
            continue
        element = asn1 if asn1 == "admissionConfirmSequence" \
            else asn1 + "_element"
        if (element, "") not in fields and \
                not any(n == element for n, _ in fields):
            print("FAIL: %s: no %s in the dissection" % (what, element))
            failures += 1
        bad = problems_in(packet)
        if bad:
            print("FAIL: %s: %s" % (what, "; ".join(bad)))
            failures += 1
        if sample not in EXPECT:
            print("FAIL: %s: no expectations written for it" % what)
            failures += 1
            continue
        gap = missing_in_order(fields, EXPECT[sample])
        if gap is not None:
            print("FAIL: %s: expected %s=%s (in order) not found; "
                  "Wireshark shows: %s" % (what, gap[0], gap[1],
                                           " ".join("%s=%s" % f
                                                    for f in fields)))
            failures += 1
        else:
            print("ok: %s %s: %d values checked" %
                  (what, asn1, len(EXPECT[sample])))
    print("%d frames, %d failures" % (len(frames), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
