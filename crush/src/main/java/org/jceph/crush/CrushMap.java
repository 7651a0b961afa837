package org.jceph.crush;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * A CRUSH map as Ceph's CrushWrapper holds it (src/crush/CrushWrapper.h): bucket and rule slots,
 * names, tunables, device classes with their shadow buckets, and choose_args. Immutable and
 * thread-safe.
 *
 * <p>Besides the content it remembers how it was encoded where Ceph's own encoding varied across
 * releases ({@link #encodedSections()}, name keys written as 64-bit by very old releases) so that
 * {@link #encode()} reproduces the bytes it was decoded from.
 */
public final class CrushMap {
    /** CRUSH_MAGIC. */
    public static final long MAGIC = 0x00010000L;
    /** CrushWrapper::DEFAULT_CHOOSE_ARGS. */
    public static final long DEFAULT_CHOOSE_ARGS = -1;

    /** Optional trailing sections, in wire order; a map encodes a prefix of them. */
    public enum Section {
        LOCAL_TRIES, DESCEND_ONCE, VARY_R, STRAW_CALC_VERSION, ALLOWED_BUCKET_ALGS, CHOOSELEAF_STABLE,
        DEVICE_CLASSES, CHOOSE_ARGS, MSR_TUNABLES
    }

    final int maxBuckets;
    final int maxRules;
    final int maxDevices;
    final CrushBucket[] buckets;
    final CrushRule[] rules;
    final SortedMap<Integer, String> typeNames;
    final SortedMap<Integer, String> itemNames;
    final SortedMap<Integer, String> ruleNames;
    final Tunables tunables;
    final long msrDescents;
    final long msrCollisionTries;
    final SortedMap<Integer, Integer> classMap;
    final SortedMap<Integer, String> className;
    final SortedMap<Integer, SortedMap<Integer, Integer>> classBucket;
    final SortedMap<Long, SortedMap<Integer, ChooseArg>> chooseArgs;
    final int encodedSections;
    final List<Set<Integer>> wideNameKeys;

    /** Everything a map holds, bucket and rule slots in index order (null = empty slot). */
    public CrushMap(int maxDevices, List<CrushBucket> bucketSlots, List<CrushRule> ruleSlots,
            SortedMap<Integer, String> typeNames, SortedMap<Integer, String> itemNames,
            SortedMap<Integer, String> ruleNames, Tunables tunables, SortedMap<Integer, Integer> classMap,
            SortedMap<Integer, String> className, SortedMap<Integer, SortedMap<Integer, Integer>> classBucket,
            SortedMap<Long, SortedMap<Integer, ChooseArg>> chooseArgs, long msrDescents, long msrCollisionTries,
            int encodedSections, List<Set<Integer>> wideNameKeys) {
        this.maxBuckets = bucketSlots.size();
        this.maxRules = ruleSlots.size();
        this.maxDevices = maxDevices;
        this.buckets = bucketSlots.toArray(new CrushBucket[0]);
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] != null && buckets[i].id != -1 - i) {
                throw new IllegalArgumentException("bucket in slot " + i + " has id " + buckets[i].id);
            }
        }
        this.rules = ruleSlots.toArray(new CrushRule[0]);
        this.typeNames = Collections.unmodifiableSortedMap(new TreeMap<>(typeNames));
        this.itemNames = Collections.unmodifiableSortedMap(new TreeMap<>(itemNames));
        this.ruleNames = Collections.unmodifiableSortedMap(new TreeMap<>(ruleNames));
        this.tunables = tunables;
        this.classMap = Collections.unmodifiableSortedMap(new TreeMap<>(classMap));
        this.className = Collections.unmodifiableSortedMap(new TreeMap<>(className));
        TreeMap<Integer, SortedMap<Integer, Integer>> cb = new TreeMap<>();
        classBucket.forEach((k, v) -> cb.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        this.classBucket = Collections.unmodifiableSortedMap(cb);
        TreeMap<Long, SortedMap<Integer, ChooseArg>> ca = new TreeMap<>();
        chooseArgs.forEach((k, v) -> ca.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        this.chooseArgs = Collections.unmodifiableSortedMap(ca);
        this.msrDescents = msrDescents;
        this.msrCollisionTries = msrCollisionTries;
        if (encodedSections < 0 || encodedSections > Section.values().length) {
            throw new IllegalArgumentException("encodedSections " + encodedSections);
        }
        this.encodedSections = encodedSections;
        this.wideNameKeys = List.of(Set.copyOf(wideNameKeys.get(0)), Set.copyOf(wideNameKeys.get(1)),
                Set.copyOf(wideNameKeys.get(2)));
    }

    /**
     * The same map, encoding only the first {@code sections} optional trailing sections (as
     * CrushWrapper::encode does for peers without the features of the later ones).
     */
    public CrushMap withEncodedSections(int sections) {
        return new CrushMap(maxDevices, bucketSlots(), ruleSlots(), typeNames, itemNames, ruleNames, tunables,
                classMap, className, classBucket, chooseArgs, msrDescents, msrCollisionTries, sections,
                wideNameKeys);
    }

    // ---- codec ------------------------------------------------------------------------------

    /** Decodes CrushWrapper's encoding; throws DecodeException naming the offset on bad input. */
    public static CrushMap decode(byte[] bytes) {
        return CrushMapCodec.decode(CephDecoder.of(bytes, "CrushWrapper"), true);
    }

    /** Decodes from the decoder's position; consumes the rest of its input. */
    public static CrushMap decode(CephDecoder decoder) {
        return CrushMapCodec.decode(decoder, true);
    }

    public void encode(CephEncoder encoder) {
        CrushMapCodec.encode(this, encoder);
    }

    public byte[] encode() {
        ByteBuf buf = Unpooled.buffer();
        try {
            encode(new CephEncoder(buf));
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    // ---- accessors --------------------------------------------------------------------------

    public int maxBuckets() {
        return maxBuckets;
    }

    public int maxRules() {
        return maxRules;
    }

    /** max_devices as encoded. */
    public int maxDevicesEncoded() {
        return maxDevices;
    }

    /**
     * max_devices as Ceph uses it after decoding (CrushWrapper::finalize): one past the largest
     * device id found in any bucket or in the item names, whatever was encoded.
     */
    public int maxDevices() {
        int max = 0;
        for (CrushBucket b : buckets) {
            if (b != null) {
                for (int item : b.items) {
                    if (item >= max) {
                        max = item + 1;
                    }
                }
            }
        }
        if (!itemNames.isEmpty() && itemNames.lastKey() >= max) {
            max = itemNames.lastKey() + 1;
        }
        return max;
    }

    /** The bucket with this (negative) id, or null. */
    public CrushBucket bucket(int id) {
        int index = -1 - id;
        return index >= 0 && index < buckets.length ? buckets[index] : null;
    }

    /** Bucket slots in index order; null entries are empty slots. */
    public List<CrushBucket> bucketSlots() {
        return Collections.unmodifiableList(java.util.Arrays.asList(buckets.clone()));
    }

    public CrushRule rule(int ruleno) {
        return ruleno >= 0 && ruleno < rules.length ? rules[ruleno] : null;
    }

    public List<CrushRule> ruleSlots() {
        return Collections.unmodifiableList(java.util.Arrays.asList(rules.clone()));
    }

    public SortedMap<Integer, String> typeNames() {
        return typeNames;
    }

    public SortedMap<Integer, String> itemNames() {
        return itemNames;
    }

    public SortedMap<Integer, String> ruleNames() {
        return ruleNames;
    }

    public Tunables tunables() {
        return tunables;
    }

    public long msrDescents() {
        return msrDescents;
    }

    public long msrCollisionTries() {
        return msrCollisionTries;
    }

    /** Device id to class id. */
    public SortedMap<Integer, Integer> classMap() {
        return classMap;
    }

    /** Class id to class name. */
    public SortedMap<Integer, String> classNames() {
        return className;
    }

    /** Bucket id to (class id to shadow bucket id). */
    public SortedMap<Integer, SortedMap<Integer, Integer>> classBuckets() {
        return classBucket;
    }

    /** choose_args keyed by pool id (or {@link #DEFAULT_CHOOSE_ARGS}), then by bucket index. */
    public SortedMap<Long, SortedMap<Integer, ChooseArg>> chooseArgs() {
        return chooseArgs;
    }

    /** How many of the optional {@link Section}s the encoding carries (all of Pacific's: 8). */
    public int encodedSections() {
        return encodedSections;
    }

    /** Name-map keys (types, items, rules) that were encoded as 64-bit by pre-0.50 releases. */
    public List<Set<Integer>> wideNameKeys() {
        return wideNameKeys;
    }

    /** True if some bucket lists {@code item}: CrushWrapper::check_item_present. */
    public boolean itemPresent(int item) {
        for (CrushBucket b : buckets) {
            if (b != null) {
                for (int i : b.items) {
                    if (i == item) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
