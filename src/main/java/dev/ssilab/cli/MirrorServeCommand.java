package dev.ssilab.cli;

import dev.ssilab.artifact.Artifacts;
import dev.ssilab.artifact.MirrorServer;
import dev.ssilab.state.SsilabPaths;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab mirror serve [--port N] [--dir DIR] [--bind ADDR]}: serves the artifacts over HTTP until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve the course files (default: the artifacts folder built by 'ssilab artifacts build') over HTTP,",
        "for this machine or a whole workshop room (--bind 0.0.0.0). Learners pass --mirror URL to 'ssilab fetch'."})
final class MirrorServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder to serve (default: $XDG_CACHE_HOME/ssilab/artifacts).")
    Path dir;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for a room).")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        // the value typed is checked before the folder it serves: its error names what was wrong
        if (port < 0 || port > 65535) {
            throw new dev.ssilab.state.UserError("--port " + port + " cannot exist: ports are 1 to 65535 (0 picks a free one)");
        }
        Path folder = dir != null ? dir : Artifacts.defaultDir(SsilabPaths.fromEnvironment(System.getenv()));
        MirrorServer server = MirrorServer.start(folder, bind, port, line -> {
            System.out.println(line);
            System.out.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "mirror-stop"));
        System.out.println("Serving " + server.dir() + " at " + server.url() + " (Ctrl-C to stop)");
        for (URI u : server.roomUrls()) {
            System.out.println("Learners in the room: ssilab fetch " + Artifacts.ROOT_IMAGE + " --mirror " + u);
        }
        System.out.flush();
        stopped.await();
        return 0;
    }
}
