package dev.ssilab.cluster.uml;

import dev.ssilab.cluster.StartRequest;
import java.nio.file.Path;
import java.util.List;

/** A JVM that hosts a two-node cluster and then idles, for the test that SIGKILLs it: args DIR ID ROOT. */
public final class UmlNodeHost {
    private UmlNodeHost() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int id = Integer.parseInt(args[1]);
        UmlBackend b = (UmlBackend) new UmlBackendProvider().create(id,
                new StartRequest("uml", 2, Path.of(args[2]), 16, null, null), dir);
        b.boot(List.of(1, 2));
        System.out.println("BOOTED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
