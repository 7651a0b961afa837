package org.jceph.cli.crushtool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushMapper;
import org.jceph.crush.CrushRule;
import org.jceph.crush.RuleStep;

/** {@code crushtool --test}: Ceph src/crush/CrushTester.cc, the CRUSH (not RNG) path, same output. */
final class CrushTester {
    final CrushMap map;
    final CrushMapper mapper;
    int minRule = -1;
    int maxRule = -1;
    int minX = -1;
    int maxX = -1;
    int minRep = -1;
    int maxRep = -1;
    long poolId = -1;
    boolean showMappings;
    boolean showBadMappings;
    boolean showStatistics;
    boolean showUtilization;
    boolean showUtilizationAll;
    final Map<Integer, Integer> deviceWeight = new HashMap<>();

    CrushTester(CrushMap map) {
        this.map = map;
        this.mapper = new CrushMapper(map);
    }

    /** CrushTester::set_device_weight: float weight to 16.16, clamped to [0, 0x10000]. */
    void setDeviceWeight(int dev, float f) {
        int w = (int) (f * 0x10000);
        if (w < 0) {
            w = 0;
        }
        if (w > 0x10000) {
            w = 0x10000;
        }
        deviceWeight.put(dev, w);
    }

    int[] weights() {
        int n = mapper.maxDevices();
        int[] weight = new int[n];
        for (int o = 0; o < n; o++) {
            if (deviceWeight.containsKey(o)) {
                weight[o] = deviceWeight.get(o);
            } else if (map.itemPresent(o)) {
                weight[o] = 0x10000;
            }
        }
        return weight;
    }

    /** get_bucket_type: the bucket's type, or -ENOENT for devices and empty slots. */
    private int bucketType(int id) {
        var b = map.bucket(id);
        return b == null ? -2 : b.type();
    }

    /** CrushTester::get_maximum_affected_by_rule, duplicates and all. */
    int maximumAffectedByRule(int ruleno) {
        CrushRule rule = map.rule(ruleno);
        List<Integer> affectedTypes = new ArrayList<>();
        Map<Integer, Integer> replicationsByType = new HashMap<>();
        for (RuleStep s : rule.steps()) {
            if (s.op() >= 2 && s.op() != 4) {
                affectedTypes.add(s.arg2());
                replicationsByType.put(s.arg2(), s.arg1());
            }
        }
        Map<Integer, Integer> maxDevicesOfType = new HashMap<>();
        for (int t : affectedTypes) {
            for (int id : map.itemNames().keySet()) {
                if (bucketType(id) == t) {
                    maxDevicesOfType.merge(t, 1, Integer::sum);
                }
            }
        }
        for (int t : affectedTypes) {
            int rep = replicationsByType.getOrDefault(t, 0);
            int have = maxDevicesOfType.getOrDefault(t, 0);
            if (rep > 0 && rep < have) {
                maxDevicesOfType.put(t, rep);
            }
        }
        int maxAffected = Math.max(map.maxBuckets(), mapper.maxDevices());
        for (int t : affectedTypes) {
            int have = maxDevicesOfType.getOrDefault(t, 0);
            if (have > 0 && have < maxAffected) {
                maxAffected = have;
            }
        }
        return maxAffected;
    }

    private String ruleName(int r) {
        String n = map.ruleNames().get(r);
        return n == null ? "" : n;
    }

    static String vec(int[] out, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(out[i]);
        }
        return sb.append(']').toString();
    }

    /**
     * per[item]++ for a device. CrushTester.cc indexes its per-device vector with whatever the rule
     * emitted, so a rule that emits bucket ids writes before the vector's start: crushtool 16.2.15
     * then corrupts its heap and usually aborts ("double free or corruption") after printing the
     * mappings. Bucket ids are not devices: we leave them out of the counts and go on.
     */
    private static void countDevice(long[] per, int item) {
        if (item >= 0 && item < per.length) {
            per[item]++;
        }
    }

    /** Below this many x values per (rule, num-rep) the counting stays on one thread. */
    static final int PARALLEL_MIN_X = 1 << 16;

    private int map(int r, int x, int nr, int[] weight, int[] result, CrushMapper.Workspace ws) {
        int realX = poolId != -1 ? CrushMapper.hash2(x, (int) poolId) : x;
        return nr > 0 ? mapper.doRule(r, realX, result, nr, weight, 0, ws, null) : 0;
    }

    /**
     * Statistics only (no per-x lines): the x range is split into chunks mapped on all cores, each
     * with its own workspace and counters, merged at the end. Counts are order-independent, so the
     * output is the same as the sequential loop's.
     */
    private void countInParallel(int r, int nr, int[] weight, long[] per, TreeMap<Integer, Integer> sizes) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        long span = (long) maxX - minX + 1;
        int chunks = (int) Math.min(span, threads * 8L);
        java.util.List<java.util.concurrent.Future<long[]>> parts = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, t0 -> {
            Thread t = new Thread(t0, "crushtool-test");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int c = 0; c < chunks; c++) {
                long from = minX + span * c / chunks;
                long to = minX + span * (c + 1) / chunks; // exclusive
                parts.add(pool.submit(() -> {
                    // per-device counts, then counts of result sizes 0..nr
                    long[] counts = new long[per.length + nr + 1];
                    int[] result = new int[Math.max(nr, 0)];
                    CrushMapper.Workspace ws = new CrushMapper.Workspace();
                    for (long x = from; x < to; x++) {
                        int n = map(r, (int) x, nr, weight, result, ws);
                        for (int i = 0; i < n; i++) {
                            if (result[i] != CrushMapper.ITEM_NONE) {
                                if (result[i] >= 0 && result[i] < per.length) { // see countDevice
                                    counts[result[i]]++;
                                }
                            }
                        }
                        counts[per.length + n]++;
                    }
                    return counts;
                }));
            }
            for (java.util.concurrent.Future<long[]> f : parts) {
                long[] counts = f.get();
                for (int i = 0; i < per.length; i++) {
                    per[i] += counts[i];
                }
                for (int n = 0; n <= nr; n++) {
                    if (counts[per.length + n] > 0) {
                        sizes.merge(n, (int) counts[per.length + n], Integer::sum);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    int test(PrintStream out, PrintStream err) {
        if (minRule < 0 || maxRule < 0) {
            minRule = 0;
            maxRule = map.maxRules() - 1;
        }
        if (minX < 0 || maxX < 0) {
            minX = 0;
            maxX = 1023;
        }
        int[] weight = weights();
        if (showUtilizationAll) {
            StringBuilder sb = new StringBuilder("devices weights (hex): [");
            for (int i = 0; i < weight.length; i++) {
                sb.append(i > 0 ? "," : "").append(Integer.toHexString(weight[i]));
            }
            err.println(sb.append(']'));
        }
        StringBuilder line = new StringBuilder(256);
        CrushMapper.Workspace ws = new CrushMapper.Workspace();
        for (int r = minRule; r < map.maxRules() && r <= maxRule; r++) {
            if (!mapper.ruleExists(r)) {
                if (showStatistics) {
                    out.println("rule " + r + " dne");
                }
                continue;
            }
            int minr = minRep;
            int maxr = maxRep;
            if (minRep < 0 || maxRep < 0) {
                minr = map.rule(r).minSize();
                maxr = map.rule(r).maxSize();
            }
            if (showStatistics) {
                out.println("rule " + r + " (" + ruleName(r) + "), x = " + minX + ".." + maxX + ", numrep = " + minr
                        + ".." + maxr);
            }
            for (int nr = minr; nr <= maxr; nr++) {
                int numDevices = weight.length;
                long[] per = new long[numDevices];
                TreeMap<Integer, Integer> sizes = new TreeMap<>();
                int numObjects = maxX - minX + 1;
                int totalWeight = 0;
                for (int w : weight) {
                    totalWeight += w;
                }
                if (totalWeight == 0) {
                    continue;
                }
                float expectedObjects = (float) (Math.min(nr, maximumAffectedByRule(r)) * numObjects);
                float[] expected = new float[numDevices];
                for (int i = 0; i < numDevices; i++) {
                    float proportional = (float) weight[i] / (float) totalWeight;
                    expected[i] = proportional * expectedObjects;
                }
                if (!showMappings && !showBadMappings && numObjects >= PARALLEL_MIN_X) {
                    countInParallel(r, nr, weight, per, sizes);
                } else {
                    int[] result = new int[Math.max(nr, 0)];
                    for (int x = minX; x <= maxX; x++) {
                        int n = map(r, x, nr, weight, result, ws);
                        if (showMappings) {
                            line.setLength(0);
                            line.append("CRUSH rule ").append(r).append(" x ").append(x).append(' ');
                            out.println(line.append(vec(result, n)));
                        }
                        boolean hasNone = false;
                        for (int i = 0; i < n; i++) {
                            if (result[i] != CrushMapper.ITEM_NONE) {
                                countDevice(per, result[i]);
                            } else {
                                hasNone = true;
                            }
                        }
                        sizes.merge(n, 1, Integer::sum);
                        if (showBadMappings && (n != nr || hasNone)) {
                            out.println("bad mapping rule " + r + " x " + x + " num_rep " + nr + " result "
                                    + vec(result, n));
                        }
                    }
                }
                if (showStatistics) {
                    for (Map.Entry<Integer, Integer> e : sizes.entrySet()) {
                        out.println("rule " + r + " (" + ruleName(r) + ") num_rep " + nr + " result size == " + e.getKey()
                                + ":\t" + e.getValue() + "/" + (maxX - minX + 1));
                    }
                    for (int i = 0; i < numDevices; i++) {
                        if (showUtilization) {
                            if (expected[i] > 0 && per[i] > 0) {
                                out.println("  device " + i + ":\t\t stored : " + per[i] + "\t expected : "
                                        + org.jceph.cli.CStdio.g(expected[i]));
                            }
                        } else if (showUtilizationAll) {
                            out.println("  device " + i + ":\t\t stored : " + per[i] + "\t expected : "
                                    + org.jceph.cli.CStdio.g(expected[i]));
                        }
                    }
                }
            }
        }
        return 0;
    }
}
