package org.jceph.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a JVM team does first: a new Maven project of its own that imports {@code jceph-bom} and
 * depends on {@code jceph-rados} and {@code jceph-rbd}, resolved from the local repository that
 * {@code mvn install} filled, compiles the examples and runs each against a throwaway cluster,
 * once on the class path and once on the module path (the project has its own module-info).
 *
 * <p>Needs the artifacts of this very build in the local repository, so it runs in the failsafe
 * execution {@code it-fresh-project}, which {@code bin/jceph-test} turns on together with
 * {@code mvn install} ({@code -Djceph.it.fresh.skip=false}); the test first checks that the
 * installed jars are byte for byte this build's (the jars are reproducible).
 */
@Tag("fresh-project")
@RealCluster
class FreshProjectIT {
    private static final Path ROOT = Path.of(System.getProperty("jceph.root", "..")).toAbsolutePath().normalize();
    private static final List<String> EXAMPLES = List.of("Connect", "ObjectsExample", "AsyncExample",
            "CompoundExample", "WatchNotifyExample", "RbdExample");

    @TempDir
    Path dir;

    private static String version() throws IOException {
        Matcher m = Pattern.compile("<artifactId>jceph-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "the parent pom names its version");
        return m.group(1);
    }

    private static Path localRepository() {
        String configured = System.getProperty("jceph.localRepository", "");
        return configured.isEmpty() || configured.startsWith("$")
                ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(configured);
    }

    private record Result(int exit, String out) {
    }

    private Result run(Path cwd, List<String> cmd, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.ISO_8859_1));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aFreshMavenProjectBuildsAndRunsTheExamplesOnTheClassPathAndTheModulePath(CephCluster c) throws Exception {
        String version = version();
        Path repo = localRepository();
        for (String module : List.of("rados", "rbd", "messenger", "osdmap", "crush", "encoding")) {
            Path built = ROOT.resolve(module).resolve("target").resolve("jceph-" + module + "-" + version + ".jar");
            Path installed = repo.resolve("org/jceph/jceph-" + module + "/" + version + "/jceph-" + module + "-"
                    + version + ".jar");
            assertTrue(Files.exists(installed), installed + " is missing: run the build with mvn install "
                    + "(bin/jceph-test does)");
            assertArrayEquals(Files.readAllBytes(built), Files.readAllBytes(installed),
                    installed + " is not this build's jar: run the build with mvn install (bin/jceph-test does)");
        }
        assertEquals(Files.readString(ROOT.resolve("bom/pom.xml")),
                Files.readString(repo.resolve("org/jceph/jceph-bom/" + version + "/jceph-bom-" + version + ".pom")),
                "the installed bom is this build's");

        // the project: a pom that knows nothing of jceph's build, the examples' sources, a module-info
        Files.writeString(dir.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>fresh</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>org.jceph</groupId><artifactId>jceph-bom</artifactId><version>VERSION</version>
                        <type>pom</type><scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency><groupId>org.jceph</groupId><artifactId>jceph-rados</artifactId></dependency>
                    <dependency><groupId>org.jceph</groupId><artifactId>jceph-rbd</artifactId></dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.replace("VERSION", version));
        Path src = dir.resolve("src/main/java");
        Path pkg = src.resolve("org/jceph/examples");
        Files.createDirectories(pkg);
        try (Stream<Path> files = Files.list(ROOT.resolve("examples/src/main/java/org/jceph/examples"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Files.copy(f, pkg.resolve(f.getFileName()));
            }
        }
        Files.writeString(src.resolve("module-info.java"), """
                module com.example.fresh {
                    requires org.jceph.rados;
                    requires org.jceph.rbd;
                }
                """);

        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-Dmaven.repo.local=" + repo));
        if (Boolean.parseBoolean(System.getProperty("jceph.fresh.offline", "true"))) {
            mvn.add("-o");
        }
        List<String> build = new ArrayList<>(mvn);
        build.addAll(List.of("compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"));
        Result built = run(dir, build, 600);
        assertEquals(0, built.exit(), "the fresh project builds:\n" + built.out());
        String cp = Files.readString(dir.resolve("cp.txt")).strip();
        assertTrue(cp.contains("jceph-rados-" + version + ".jar") && cp.contains("netty"), cp);
        assertTrue(!cp.contains("junit") && !cp.contains("jqwik") && !cp.contains("jmh"),
                "no test or tool pins of jceph's build reach the user's: " + cp);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = dir.resolve("target/classes").toString();
        String[] args = {c.confPath().toString(), c.testPool()};
        for (String example : EXAMPLES) {
            Result onClassPath = run(dir, List.of(java, "-cp", classes + ":" + cp, "org.jceph.examples." + example,
                    args[0], args[1]), 120);
            assertEquals(0, onClassPath.exit(), example + " on the class path:\n" + onClassPath.out());
            Result onModulePath = run(dir, List.of(java, "-p", classes + ":" + cp, "-m",
                    "com.example.fresh/org.jceph.examples." + example, args[0], args[1]), 120);
            assertEquals(0, onModulePath.exit(), example + " on the module path:\n" + onModulePath.out());
            if (example.equals("RbdExample")) {
                assertTrue(onModulePath.out().contains("at the snapshot: first, now: later"), onModulePath.out());
            }
            if (example.equals("Connect")) {
                assertTrue(onClassPath.out().contains("connected to " + c.fsid()), onClassPath.out());
                assertTrue(onModulePath.out().contains("connected to " + c.fsid()), onModulePath.out());
            }
        }
    }
}
