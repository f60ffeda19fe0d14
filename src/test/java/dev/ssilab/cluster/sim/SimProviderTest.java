package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssilab.cluster.BackendProvider;
import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.StartRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimProviderTest {

    @Test
    void serviceLoaderFindsTheSimulatorByName(@TempDir Path dir) {
        BackendProvider sim = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("sim")).findFirst().orElseThrow();
        StartRequest request = new StartRequest("sim", 2, dir.resolve("root_fs"), 64, null, null);
        try (ClusterBackend backend = sim.create(10007, request, dir)) {
            assertEquals("sim", backend.name());
            backend.boot(List.of(1, 2));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, backend.exec(2, "cluster", Duration.ofSeconds(5), out));
            assertEquals("1: UP\n2: UP\n", out.toString(StandardCharsets.UTF_8));
        }
    }
}
