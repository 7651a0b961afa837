package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Test;

/** Every cls_lock_get_info_reply in ceph-object-corpus decodes as LockInfo. */
class LockInfoCorpusTest {
    @Test
    void everyGetInfoReplySampleDecodes() {
        int n = 0;
        for (Corpus.Sample s : Corpus.samples("cls_lock_get_info_reply")) {
            LockInfo info = LockInfo.decode(s.bytes());
            assertTrue(info.type() >= 0 && info.type() <= 2, s + ": type " + info.type());
            n++;
        }
        assertTrue(n > 0 || Corpus.root().isEmpty(), "no cls_lock_get_info_reply samples found");
        System.out.println("cls_lock_get_info_reply: " + n + " corpus samples decoded");
    }
}
