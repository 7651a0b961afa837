package org.jceph.rados.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jceph.fixtures.ProjectRoot;

/** The capture cluster's OSDMaps and incrementals (fixtures/osdmap/epochs: full.N, inc.N), for the unit tests. */
public final class CapturedEpochs {
    private CapturedEpochs() {
    }

    /** The bytes of epochs/{@code name}, e.g. {@code full.47} or {@code inc.48}. */
    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap/epochs")
                    .resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
