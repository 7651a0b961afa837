#!/usr/bin/env python3
"""Capture every TCP connection on lo between ports in PORTS (comma list) for SECONDS; write
OUT/<sport>-<dport>.bin with the bytes sent from sport to dport (from the SYN on)."""
import socket, struct, sys, time, os
lo_, hi_ = map(int, sys.argv[1].split("-")); ports = set(range(lo_, hi_ + 1))
out, seconds = sys.argv[2], float(sys.argv[3])
os.makedirs(out, exist_ok=True)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
s.bind(('lo', 0)); s.settimeout(0.2)
streams, nxt = {}, {}
stop = time.time() + seconds
while time.time() < stop:
    try:
        frame, addr = s.recvfrom(262144)
    except socket.timeout:
        continue
    if addr[2] == socket.PACKET_OUTGOING: continue
    if len(frame) < 34 or struct.unpack('!H', frame[12:14])[0] != 0x0800: continue
    ip = frame[14:]; ihl = (ip[0] & 15) * 4
    if ip[9] != 6: continue
    total = struct.unpack('!H', ip[2:4])[0]; tcp = ip[ihl:total]
    sp, dp, seq = struct.unpack('!HHI', tcp[:8]); off = (tcp[12] >> 4) * 4; fl = tcp[13]
    if sp not in ports and dp not in ports: continue
    k = (sp, dp)
    if fl & 2:
        nxt[k] = (seq + 1) & 0xffffffff; streams[k] = bytearray(); continue
    data = tcp[off:]
    if data and k in nxt and seq == nxt[k]:
        streams[k] += data; nxt[k] = (seq + len(data)) & 0xffffffff
for (sp, dp), b in streams.items():
    open(f"{out}/{sp}-{dp}.bin", 'wb').write(b)
print(len(streams), "streams")
