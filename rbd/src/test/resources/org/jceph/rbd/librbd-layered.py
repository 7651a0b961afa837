# librbd's layered encryption through python3-rbd, for LuksLayeredIT (run inside the release's chroot).
#   librbd-layered.py POOL write IMAGE OFF,OFF.. INFILE SPEC... INFILE's equal pieces at the OFFs
#   librbd-layered.py POOL read IMAGE OUTFILE SPEC...          the whole decrypted image
# SPEC is FORMAT:PASSFILE (luks1, luks2 or luks), the image's first, then its ancestors'
# (rbd_encryption_load2). CEPH_CONF names the cluster.
import sys
import rados
import rbd

FORMATS = {"luks1": rbd.RBD_ENCRYPTION_FORMAT_LUKS1, "luks2": rbd.RBD_ENCRYPTION_FORMAT_LUKS2,
           "luks": rbd.RBD_ENCRYPTION_FORMAT_LUKS}


def specs(args):
    out = []
    for a in args:
        fmt, path = a.split(":", 1)
        with open(path, "rb") as f:
            out.append((FORMATS[fmt], f.read().decode()))
    return out


pool, cmd, image = sys.argv[1], sys.argv[2], sys.argv[3]
with rados.Rados(conffile="") as cluster:
    with cluster.open_ioctx(pool) as io:
        with rbd.Image(io, image) as img:
            if cmd == "write":
                img.encryption_load2(specs(sys.argv[6:]))
                offsets = [int(o) for o in sys.argv[4].split(",")]
                with open(sys.argv[5], "rb") as f:
                    data = f.read()
                n = len(data) // len(offsets)
                for i, off in enumerate(offsets):
                    img.write(data[i * n:(i + 1) * n], off)
                img.flush()
            elif cmd == "read":
                img.encryption_load2(specs(sys.argv[5:]))
                size = img.size()
                with open(sys.argv[4], "wb") as out:
                    off = 0
                    while off < size:
                        n = min(4 << 20, size - off)
                        out.write(img.read(off, n))
                        off += n
            else:
                sys.exit("unknown command " + cmd)
