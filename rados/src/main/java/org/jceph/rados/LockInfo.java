package org.jceph.rados;

import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityName;

/**
 * An advisory lock on an object (object class "lock", src/cls/lock): its type, tag and holders.
 * cls_lock_get_info_reply = ENC(1,1){ map&lt;locker_id_t, locker_info_t&gt; lockers; u8 type; string tag },
 * locker_id_t = ENC(1,1){ entity_name_t locker; string cookie },
 * locker_info_t = ENC(1,1){ utime expiration; entity_addr_t addr; string description }.
 *
 * @param type {@link #NONE}, {@link #EXCLUSIVE} or {@link #SHARED}
 * @param tag the tag shared holders agree on
 * @param lockers the holders
 */
public record LockInfo(int type, String tag, List<Locker> lockers) {
    /** The lock is not held (cls_lock's LOCK_NONE). */
    public static final int NONE = 0;
    /** Held by one holder (LOCK_EXCLUSIVE). */
    public static final int EXCLUSIVE = 1;
    /** Held by holders sharing a tag (LOCK_SHARED). */
    public static final int SHARED = 2;

    /**
     * One holder.
     *
     * @param name who (client.N)
     * @param cookie the cookie it took the lock with
     * @param expiration until when (0 = no expiry)
     * @param addr from where
     * @param description the holder's description
     */
    public record Locker(EntityName name, String cookie, UTime expiration, EntityAddr addr, String description) {
    }

    static LockInfo decode(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "cls_lock_get_info_reply");
        CephDecoder.Envelope env = d.beginStruct("cls_lock_get_info_reply", 1);
        List<Locker> lockers = d.readList("lockers", 20, x -> {
            CephDecoder.Envelope id = x.beginStruct("locker_id_t", 1);
            EntityName name = EntityName.decode(x);
            String cookie = x.readString();
            x.endStruct(id);
            CephDecoder.Envelope info = x.beginStruct("locker_info_t", 1);
            UTime exp = x.readUtime();
            EntityAddr addr = EntityAddr.decode(x);
            String desc = x.readString();
            x.endStruct(info);
            return new Locker(name, cookie, exp, addr, desc);
        });
        int type = d.readU8();
        String tag = d.readString();
        d.endStruct(env);
        return new LockInfo(type, tag, lockers);
    }
}
