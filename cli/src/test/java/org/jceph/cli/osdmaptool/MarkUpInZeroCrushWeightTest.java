package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushWeights;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --mark-up-in} on OSDs whose CRUSH weight is 0: osdmaptool (osdmaptool.cc) sets their CRUSH
 * weight to 1.0 with CrushWrapper::adjust_item_weightf, which changes the item in every bucket that
 * holds it (shadow buckets of device classes too) and carries each bucket's new weight up the
 * hierarchy (and recomputes the straws of straw buckets, under straw_calc_version 0 or 1). jceph's
 * {@link CrushWeights} must produce the bytes crushtool's {@code --reweight-item}
 * (the same CrushWrapper call) writes, and jceph's osdmaptool must print what Pacific's prints.
 */
class MarkUpInZeroCrushWeightTest {
    @TempDir
    Path dir;

    /** Two hosts (of algorithm {@code alg}) under a rack under a root; osd.0 and osd.3 weigh 0. */
    static String crush(String alg, String rootAlg, boolean classes) {
        return crush(alg, rootAlg, classes, 0);
    }

    /** As above, with choose_args: 0 none, 1 a compat weight set (key -1), 2 two positions under pool 1. */
    static String crush(String alg, String rootAlg, boolean classes, int weightSets) {
        String ws = "";
        if (weightSets > 0) {
            String key = weightSets == 1 ? "18446744073709551615" : "1";
            String h0 = weightSets == 1 ? "[ 0.000 2.000 1.000 ]" : "[ 0.000 2.000 1.000 ]\n      [ 1.000 0.000 3.000 ]";
            String h1 = weightSets == 1 ? "[ 0.000 0.250 ]" : "[ 0.000 0.250 ]\n      [ 0.500 0.000 ]";
            String two = weightSets == 1 ? "[ 3.000 0.250 ]" : "[ 3.000 0.250 ]\n      [ 4.000 0.500 ]";
            String one = weightSets == 1 ? "[ 3.250 ]" : "[ 3.250 ]\n      [ 4.500 ]";
            ws = "choose_args " + key + " {\n" + arg(-3, h0) + arg(-4, h1) + arg(-2, two) + arg(-1, one) + "}\n";
        }
        // "straw-v0": straw buckets under straw_calc_version 0 (the original crush_calc_straw)
        String tunables = alg.equals("straw-v0") || rootAlg.equals("straw-v0") ? "tunable straw_calc_version 0\n" : "";
        return tunables + crushText(alg.replace("-v0", ""), rootAlg.replace("-v0", ""), classes) + ws;
    }

    private static String arg(int bucket, String sets) {
        return "  {\n    bucket_id " + bucket + "\n    weight_set [\n      " + sets + "\n    ]\n  }\n";
    }

    static String crushText(String alg, String rootAlg, boolean classes) {
        String hdd = classes ? " class hdd" : "";
        String ssd = classes ? " class ssd" : "";
        return "device 0 osd.0" + hdd + "\ndevice 1 osd.1" + hdd + "\ndevice 2 osd.2" + ssd + "\ndevice 3 osd.3" + hdd
                + "\ndevice 4 osd.4" + ssd + "\ntype 0 osd\ntype 1 host\ntype 2 rack\ntype 3 root\n"
                + "host h0 {\n\tid -3\n\talg " + alg + "\n\thash 0\n\titem osd.0 weight 0.000\n\titem osd.1 weight 1.000\n"
                + "\titem osd.2 weight 2.000\n}\n"
                + "host h1 {\n\tid -4\n\talg " + alg + "\n\thash 0\n\titem osd.3 weight 0.000\n\titem osd.4 weight 0.500\n}\n"
                + "rack r0 {\n\tid -2\n\talg " + rootAlg + "\n\thash 0\n\titem h0\n\titem h1\n}\n"
                + "root default {\n\tid -1\n\talg " + rootAlg + "\n\thash 0\n\titem r0\n}\n"
                + "rule rep {\n\tid 0\n\ttype replicated\n\tmin_size 1\n\tmax_size 10\n\tstep take default\n"
                + "\tstep choose firstn 0 type osd\n\tstep emit\n}\n"
                + (classes ? "rule rep_hdd {\n\tid 1\n\ttype replicated\n\tmin_size 1\n\tmax_size 10\n"
                        + "\tstep take default class hdd\n\tstep choose firstn 0 type osd\n\tstep emit\n}\n" : "");
    }

    private ClusterStateOracle.Run tool(String... cmd) {
        ClusterStateOracle.Run r = ClusterStateOracle.exec(dir, cmd);
        assertEquals(0, r.rc(), String.join(" ", cmd) + ": " + r.err());
        return r;
    }

    @ParameterizedTest(name = "{0} hosts under {1}, classes {2}, weight sets {3}")
    @CsvSource({"list,straw2,false,0", "tree,straw2,false,0", "straw2,straw2,false,0", "list,list,true,0",
        "straw2,tree,false,0", "straw2,straw2,true,0", "list,straw2,true,0", "straw2,straw2,false,1",
        "straw2,straw2,false,2", "straw2,straw2,true,1", "list,straw2,true,2", "tree,list,false,2",
        "straw,straw2,false,0", "straw-v0,straw2,false,0", "straw,straw,true,0", "straw2,straw-v0,false,0",
        "straw,straw2,false,2", "straw-v0,straw-v0,true,1"})
    void crushWeightsMatchCrushtoolReweightItem(String alg, String rootAlg, boolean classes, int weightSets)
            throws Exception {
        Files.writeString(dir.resolve("c.txt"), crush(alg, rootAlg, classes, weightSets));
        tool("crushtool", "-c", "c.txt", "-o", "c.bin");
        CrushMap ours = CrushMap.decode(Files.readAllBytes(dir.resolve("c.bin")));
        Path in = dir.resolve("c.bin");
        for (int osd : new int[] {0, 3}) {
            tool("crushtool", "-i", in.toString(), "--reweight-item", "osd." + osd, "1", "-o", "c" + osd + ".bin");
            in = dir.resolve("c" + osd + ".bin");
            ours = CrushWeights.adjustItemWeight(ours, osd, 0x10000);
            assertArrayEquals(Files.readAllBytes(in), ours.encode(), alg + " after osd." + osd);
        }
        assertEquals(0x10000, CrushWeights.itemWeight(ours, 0));
    }

    @ParameterizedTest(name = "{0} hosts under {1}, classes {2}, weight sets {3}")
    @CsvSource({"list,straw2,false,0", "tree,straw2,false,0", "straw2,straw2,false,0", "straw2,list,true,0",
        "list,straw2,true,0", "straw2,tree,false,0", "straw2,straw2,false,1", "straw2,straw2,true,2",
        "list,straw2,false,2", "straw,straw2,false,0", "straw-v0,straw,true,0", "straw,list,false,2"})
    void markUpInPrintsWhatOsdmaptoolPrints(String alg, String rootAlg, boolean classes, int weightSets)
            throws Exception {
        Files.writeString(dir.resolve("c.txt"), crush(alg, rootAlg, classes, weightSets));
        tool("crushtool", "-c", "c.txt", "-o", "c.bin");
        Path map = dir.resolve("m.osdmap");
        tool("osdmaptool", "--createsimple", "6", "--with-default-pool", "--pg-bits", "3", map.toString());
        tool("osdmaptool", map.toString(), "--import-crush", "c.bin");
        for (List<String> args : List.of(List.of("--mark-up-in", "--test-map-pgs-dump"), List.of("--mark-up-in", "--tree"),
                List.of("--mark-up-in", "--mark-out", "1", "--test-map-pgs-dump-all"),
                List.of("--mark-up-in", "--test-map-object", "foo", "--pool", "1"))) {
            List<String> cmd = new ArrayList<>(List.of("osdmaptool", map.toString()));
            cmd.addAll(args);
            String theirs = tool(cmd.toArray(new String[0])).out();
            List<String> ours = new ArrayList<>(List.of(map.toString()));
            ours.addAll(args);
            ClusterStateOracle.Run mine = ClusterStateOracle.jceph(ours.toArray(new String[0]));
            assertEquals(theirs, mine.out(), String.join(" ", args) + "\n" + mine.err());
            assertEquals(0, mine.rc());
        }
        assertTrue(tool("osdmaptool", map.toString(), "--mark-up-in", "--tree").out().contains("osd.0"));
    }
}
