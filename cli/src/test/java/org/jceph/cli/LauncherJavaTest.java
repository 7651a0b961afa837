package org.jceph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jceph's choice of Java and of class-data archive, run against fake JDKs: each is a directory
 * with a {@code release} file and a {@code bin/java} script that logs its arguments and plays the
 * JVM's part in an AOT recording (writes the configuration or the cache it is asked for). The
 * launcher is copied into a tree of its own with an empty jar, so nothing is built or launched.
 */
class LauncherJavaTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path jvms;
    private Path log;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(ProjectRoot.get().resolve("bin/jceph"), root.resolve("bin/jceph"));
        Files.writeString(root.resolve("pom.xml"), "");
        Files.createDirectories(root.resolve("cli/target/lib"));
        Files.writeString(root.resolve("cli/target/lib/dep.jar"), "");
        Files.writeString(root.resolve("cli/target/jceph-cli-0.1.0-SNAPSHOT.jar"), "");
        Instant old = Instant.now().minusSeconds(3600);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(old.minusSeconds(60)));
        Files.setLastModifiedTime(root.resolve("cli/target/lib/dep.jar"), FileTime.from(old));
        Files.setLastModifiedTime(root.resolve("cli/target/lib"), FileTime.from(old));
        Files.setLastModifiedTime(root.resolve("cli/target/jceph-cli-0.1.0-SNAPSHOT.jar"), FileTime.from(old));
        jvms = tmp.resolve("jvm");
        log = tmp.resolve("java.log");
        fakeJdk("jdk-11", "11.0.2");
        fakeJdk("jdk-17", "17.0.15");
        fakeJdk("jdk-25", "25.0.3");
        fakeJdk("jdk-21", "21.0.7");
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + version + "+1\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, String.join("\n",
                "#!/bin/bash",
                "echo \"" + name + " $*\" >>'" + log + "'",
                "for a; do",
                "  case $a in",
                "    -XX:AOTConfiguration=*) conf=${a#*=} ;;",
                "    -XX:AOTCache=*) cache=${a#*=} ;;",
                "    -XX:AOTMode=*) mode=${a#*=} ;;",
                "    -XX:ArchiveClassesAtExit=*) echo jsa >\"${a#*=}\" ;;",
                "  esac",
                "done",
                "[ \"${mode:-}\" != record ] || echo conf >\"$conf\"",
                "[ \"${mode:-}\" != create ] || echo aot >\"$cache\"",
                "[ \"${mode:-}\" = create ] || echo out",
                ""));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private record Run(int rc, String out, String err) {
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add("bash");
        pb.command().add(root.resolve("bin/jceph").toString());
        pb.command().addAll(List.of(args));
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JCEPH_JAVA");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("JCEPH_CDS");
        pb.environment().remove("JCEPH_CDS_DIR");
        pb.environment().put("JCEPH_JVM_DIR", jvms.toString());
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out").toFile());
        pb.redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher timed out");
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** The AOT cache is assembled in the background: waits (bounded) until the lock is gone. */
    private void awaitNoLock(Path dir) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (var s = Files.list(dir)) {
                if (s.noneMatch(f -> f.getFileName().toString().endsWith(".lock"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the AOT cache lock stayed in " + dir);
    }

    @Test
    void newestJdkUnderTheJvmDirectoryRecordsThenUsesAnAotCache() throws Exception {
        Run first = launch(Map.of(), "rados", "lspools");
        assertEquals(0, first.rc(), first.err());
        assertEquals("out\n", first.out());
        assertEquals("", first.err());
        Path cds = root.resolve("cli/target/cds");
        awaitNoLock(cds);
        List<String> c = calls();
        assertEquals(2, c.size(), c.toString());
        assertTrue(c.get(0).startsWith("jdk-25 -XX:AOTMode=record -XX:AOTConfiguration="), c.get(0));
        assertTrue(c.get(0).contains(" --sun-misc-unsafe-memory-access=allow "), c.get(0));
        assertTrue(c.get(0).contains(" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "), c.get(0));
        assertTrue(c.get(1).startsWith("jdk-25 -XX:AOTMode=create "), c.get(1));
        Path cache = cds.resolve("rados-25.0.3_1_" + jvms.resolve("jdk-25").toString().replaceAll("[^A-Za-z0-9.]", "_") + ".aot");
        assertTrue(Files.isRegularFile(cache), cache + " in " + List.of(cds.toFile().list()));
        assertEquals(List.of(cache.getFileName().toString()), List.of(cds.toFile().list()), "no temporary left");

        Run second = launch(Map.of(), "rados", "lspools");
        assertEquals("out\n", second.out());
        assertTrue(calls().get(2).startsWith("jdk-25 -XX:AOTCache=" + cache + " "), calls().get(2));

        // a rebuilt jar makes the cache stale: recorded again, not used
        Files.setLastModifiedTime(root.resolve("cli/target/lib/dep.jar"), FileTime.from(Instant.now().plusSeconds(5)));
        launch(Map.of(), "rados", "lspools");
        awaitNoLock(cds);
        assertTrue(calls().get(3).startsWith("jdk-25 -XX:AOTMode=record "), calls().get(3));
        assertTrue(calls().get(4).startsWith("jdk-25 -XX:AOTMode=create "), calls().get(4));
    }

    @Test
    void longRunningCommandsUseButNeverRecordAnAotCache() throws Exception {
        launch(Map.of(), "rbd", "bench", "--io-type", "write", "p/i");
        assertEquals(1, calls().size(), calls().toString());
        assertFalse(calls().get(0).contains("AOT"), calls().get(0));
        // C2 stays (no C1-only, no serial collector), with the smaller inlining limits
        String c = calls().get(0);
        assertTrue(c.contains(" -XX:MaxInlineSize=20 -XX:FreqInlineSize=150 -XX:InlineSmallCode=1000 "), c);
        assertFalse(c.contains("TieredStopAtLevel") || c.contains("UseSerialGC"), c);
        // JAVA_OPTS replaces them
        launch(Map.of("JAVA_OPTS", "-Xmx1g"), "nbd", "serve", "p/i");
        c = calls().get(1);
        assertTrue(c.contains(" -Xmx1g -cp "), c);
        assertFalse(c.contains("InlineSize"), c);
        // a short command of the same family keeps C1 only and no C2 inlining options
        launch(Map.of("JCEPH_CDS", "0"), "rbd", "ls", "p");
        c = calls().get(2);
        assertTrue(c.contains(" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "), c);
        assertFalse(c.contains("InlineSize"), c);
        assertTrue(Files.notExists(root.resolve("cli/target/cds")) || root.resolve("cli/target/cds").toFile().list().length == 0);
    }

    @Test
    void javaHomeAndJcephJavaOverrideAndJdk17KeepsAppCds() throws Exception {
        Run r = launch(Map.of("JAVA_HOME", jvms.resolve("jdk-17").toString()), "rbd", "ls");
        assertEquals(0, r.rc(), r.err());
        assertEquals("", r.err());
        String call = calls().get(0);
        assertTrue(call.startsWith("jdk-17 -Xshare:auto -XX:ArchiveClassesAtExit="), call);
        assertFalse(call.contains("sun-misc-unsafe"), "JDK 17 refuses the option: " + call);
        try (var s = Files.list(root.resolve("cli/target/cds"))) {
            assertEquals(List.of(".jsa"), s.map(f -> f.getFileName().toString().replaceAll("^.*(\\.jsa)$", "$1")).toList());
        }
        launch(Map.of("JAVA_HOME", jvms.resolve("jdk-17").toString()), "rbd", "ls");
        assertTrue(calls().get(1).startsWith("jdk-17 -Xshare:auto -XX:SharedArchiveFile="), calls().get(1));

        launch(Map.of("JAVA_HOME", jvms.resolve("jdk-17").toString(),
                "JCEPH_JAVA", jvms.resolve("jdk-21/bin/java").toString(), "JCEPH_CDS", "0"), "rbd", "ls");
        // JCEPH_JAVA wins over JAVA_HOME; Java 21 has no --sun-misc-unsafe-memory-access (23 and later)
        assertTrue(calls().get(2).startsWith("jdk-21 -XX:-UsePerfData "), calls().get(2));
    }

    @Test
    void theNewestUpdateOfTheNewestFeatureReleaseWinsNumberByNumber() throws Exception {
        fakeJdk("jdk-25-later", "25.0.10");
        fakeJdk("jdk-9", "9.0.4");
        launch(Map.of("JCEPH_CDS", "0"), "rados", "lspools");
        assertTrue(calls().get(0).startsWith("jdk-25-later "), "25.0.10 over 25.0.3: " + calls().get(0));
    }

    @Test
    void aJavaOlderThan17IsRefused() throws Exception {
        Run r = launch(Map.of("JCEPH_JAVA", jvms.resolve("jdk-11/bin/java").toString()), "rados", "lspools");
        assertEquals(3, r.rc());
        assertTrue(r.err().contains("is Java 11; jceph needs Java 17 or newer"), r.err());
        assertEquals(List.of(), calls());
    }
}
