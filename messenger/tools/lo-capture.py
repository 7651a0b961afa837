#!/usr/bin/env python3
"""Capture one TCP connection to PORT on loopback without tcpdump (root, AF_PACKET).

usage: lo-capture.py PORT OUT_PREFIX SECONDS -- COMMAND...

Starts sniffing on 'lo', runs COMMAND, and writes the first connection to PORT as
OUT_PREFIX-client.bin (bytes sent to PORT), OUT_PREFIX-server.bin (bytes from PORT) and
OUT_PREFIX.pcap (every packet of that connection, for tshark). Assumes loopback delivers
segments in order (true for a local capture); retransmitted bytes are dropped by sequence number.
"""
import socket, struct, subprocess, sys, threading, time

port, prefix, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
cmd = sys.argv[sys.argv.index('--') + 1:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
s.bind(('lo', 0))
s.settimeout(0.2)
packets, streams, conn = [], {'client': bytearray(), 'server': bytearray()}, {}
stop = time.time() + seconds

def sniff():
    while time.time() < stop:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue  # loopback shows each packet leaving and arriving; keep the arrival
        if len(frame) < 14 + 20 or struct.unpack('!H', frame[12:14])[0] != 0x0800:
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 6:
            continue
        total = struct.unpack('!H', ip[2:4])[0]
        tcp = ip[ihl:total]
        sport, dport, seq = struct.unpack('!HHI', tcp[:8])
        off = (tcp[12] >> 4) * 4
        flags = tcp[13]
        key = (sport, dport)
        if dport == port and 'client' not in conn and flags & 0x02:
            conn['client'] = sport  # first SYN to the port picks the connection
        cport = conn.get('client')
        if cport is None or (sport, dport) not in ((cport, port), (port, cport)):
            continue
        packets.append((time.time(), frame))
        data = tcp[off:]
        side = 'client' if dport == port else 'server'
        if flags & 0x02:
            conn[side + '_next'] = (seq + 1) & 0xFFFFFFFF
            continue
        nxt = conn.get(side + '_next')
        if data and nxt is not None and seq == nxt:
            streams[side] += data
            conn[side + '_next'] = (seq + len(data)) & 0xFFFFFFFF

t = threading.Thread(target=sniff)
t.start()
time.sleep(0.3)
subprocess.run(cmd, check=True, timeout=seconds)
t.join()
for side in ('client', 'server'):
    open(f'{prefix}-{side}.bin', 'wb').write(streams[side])
with open(f'{prefix}.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))  # linktype 1: Ethernet
    for ts, frame in packets:
        f.write(struct.pack('<IIII', int(ts), int((ts % 1) * 1e6), len(frame), len(frame)) + frame)
print(f"client {len(streams['client'])} bytes, server {len(streams['server'])} bytes, {len(packets)} packets")
