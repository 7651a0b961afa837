package org.jceph.benchmarks.encoding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The primitives every codec runs on: 1024 u32 reads and writes through CephDecoder/CephEncoder,
 * and a whole OSDMap decode (a captured Pacific map, run from the project root). Measures what
 * the WireTrace hook (one static read per primitive outside a recording) costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBenchmark {
    private static final String MAP = "fixtures/src/main/resources/fixtures/osdmap/12-osd-down.e47.osdmap";

    private byte[] words;
    private byte[] map;
    private ByteBuf out;

    @Setup
    public void setup() throws IOException {
        words = new byte[4096];
        for (int i = 0; i < words.length; i++) {
            words[i] = (byte) (i * 31);
        }
        map = Files.readAllBytes(Path.of(MAP));
        out = Unpooled.buffer(4096);
    }

    @Benchmark
    public long readU32x1024() {
        CephDecoder d = CephDecoder.of(words, "bench");
        long sum = 0;
        for (int i = 0; i < 1024; i++) {
            sum += d.readU32Le();
        }
        return sum;
    }

    @Benchmark
    public int writeU32x1024() {
        out.clear();
        CephEncoder e = new CephEncoder(out);
        for (int i = 0; i < 1024; i++) {
            e.writeU32Le(i);
        }
        return out.writerIndex();
    }

    @Benchmark
    public OsdMap decodeOsdMap() {
        return OsdMapCodec.decode(map);
    }
}
