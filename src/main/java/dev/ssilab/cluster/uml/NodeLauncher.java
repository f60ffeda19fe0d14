package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the kernels of one cluster and owns their files and their network: the layout of the cluster
 * folder (cow_N, nodeN/, uml/UMID/, shared/), the switch, and the one long-lived thread every kernel is
 * spawned from (their {@code --pdeathsig} follows that thread, so it must live as long as the cluster).
 */
final class NodeLauncher implements AutoCloseable {
    /**
     * Console lines con1.. that carry the manager's commands (con0 is the learner's terminal): four, so
     * that four commands can run on a node at once.
     */
    static final int EXTRA_LINES = 4;
    /** How long a starting kernel may take to make its mconsole and its console pty. */
    private static final long CONSOLE_WAIT_MS = 10_000;

    private final int clusterId;
    private final Path clusterDir;
    private final Path root;
    private final Path kernel;
    private final Path initrd;
    private final int swapMb;
    private final int memMb;
    /** The cluster's single root folder, every node's / by hostfs; null: each node boots on the image. */
    private final Path sharedRoot;
    /** The kernels' uml_dir (their pid files and mconsole sockets). */
    private final Path umlDir;
    /** A uml_dir outside the cluster folder that an earlier manager of this cluster used, or null. */
    private final Path staleUmlDir;
    /** An AF_UNIX path must fit in sun_path: 107 bytes and a NUL. */
    private static final int SUN_PATH = 107;
    /** The longest socket path under uml_dir: "/ssi-ID-NN/.mc-PID-" and 16 hex digits (Mconsole's client). */
    private static final int SOCKET_TAIL = 50;
    /** Names the uml_dir in use when it is not the cluster folder's uml/ (too long a path for a socket). */
    private static final String UML_DIR_POINTER = "uml.path";
    private final L2tpSwitch net = new L2tpSwitch();
    private final ExecutorService thread;

    NodeLauncher(int clusterId, Path clusterDir, Path root, Path kernel, Path initrd, int swapMb, int memMb, boolean shared) {
        this.clusterId = clusterId;
        this.clusterDir = clusterDir;
        this.root = root;
        this.kernel = kernel;
        this.initrd = initrd;
        this.swapMb = swapMb;
        this.memMb = memMb;
        this.sharedRoot = shared ? clusterDir.resolve("root") : null;
        this.staleUmlDir = recordedUmlDir(clusterDir);
        this.umlDir = chooseUmlDir(clusterDir);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uml-launcher-" + clusterId);
            t.setDaemon(true);
            return t;
        });
    }

    Path umlDir() {
        return umlDir;
    }

    /**
     * uml/ in the cluster folder when the kernels' sockets fit there; else a private folder under the
     * temp folder, named in uml.path (a state folder deep in a test's or a bench's tree is too long a
     * path for a socket, and a kernel without its mconsole has no console either).
     */
    private static Path chooseUmlDir(Path clusterDir) {
        Path inside = clusterDir.resolve("uml");
        if (inside.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + SOCKET_TAIL <= SUN_PATH) {
            return inside;
        }
        try {
            Files.createDirectories(clusterDir);
            Path outside = Files.createTempDirectory(Path.of("/tmp"), "ssilab-uml-");
            Files.writeString(clusterDir.resolve(UML_DIR_POINTER), outside + "\n");
            return outside;
        } catch (IOException e) {
            throw new UserError("cannot make a folder for the nodes' control sockets under /tmp (the cluster folder "
                    + clusterDir + " is too deep for one): " + e.getMessage());
        }
    }

    /** The outside uml_dir an earlier manager recorded, if it still looks like one of ours. */
    private static Path recordedUmlDir(Path clusterDir) {
        try {
            Path p = Path.of(Files.readString(clusterDir.resolve(UML_DIR_POINTER)).strip());
            return p.getParent() != null && p.getParent().equals(Path.of("/tmp"))
                    && p.getFileName().toString().startsWith("ssilab-uml-") ? p : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The host folder every node mounts at /cluster. */
    Path sharedDir() {
        return clusterDir.resolve("shared");
    }

    /** The single root folder (see {@link SharedRoot}), or null when each node boots on the image. */
    Path sharedRoot() {
        return sharedRoot;
    }

    String umid(int node) {
        return "ssi-" + clusterId + "-" + node;
    }

    Path mconsole(int node) {
        return umlDir().resolve(umid(node)).resolve("mconsole");
    }

    /** swap_N beside the root image, as the HOWTO's ssi-start makes them. */
    Path swapFile(int n) {
        return root.resolveSibling("swap_" + n);
    }

    /** Starts node N's kernel; it is booting when this returns (its console says when it is ready). */
    UmlNode launch(int n) {
        Path nodeDir = clusterDir.resolve("node" + n);
        Path swap = swapFile(n);
        try {
            Files.createDirectories(nodeDir);
            forget(n);
            try (RandomAccessFile f = new RandomAccessFile(swap.toFile(), "rw")) {
                long size = (long) swapMb * 1024 * 1024;
                if (f.length() != size) {
                    f.setLength(size);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot prepare node " + n + "'s files (" + swap + "): " + e.getMessage());
        }
        List<CommandChannel> lines = new ArrayList<>();
        Path log = nodeDir.resolve("console.log");
        try {
            CommandChannel.makeFifos(nodeDir, EXTRA_LINES);
            for (int k = 1; k <= EXTRA_LINES; k++) {
                lines.add(CommandChannel.open(n, k, nodeDir, "uml-line-" + clusterId + "-" + n + "-" + k));
            }
        } catch (IOException e) {
            lines.forEach(CommandChannel::close);
            throw new UserError("cannot make node " + n + "'s console lines in " + nodeDir + ": " + e.getMessage());
        }
        int port = L2tpSwitch.freePort();
        net.attach(n, port);
        List<String> argv = commandLine(n, nodeDir, port);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(nodeDir.toFile());
        Process p;
        try {
            p = thread.submit(() -> HostCommand.start(pb, argv)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lines.forEach(CommandChannel::close);
            throw new UserError("interrupted while starting node " + n);
        } catch (ExecutionException e) {
            lines.forEach(CommandChannel::close);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        // The kernel's own stdout: what it prints before its console is up, and its host-side errors.
        NodeConsole kernelOut = new NodeConsole(n, p.getInputStream(), log);
        Thread reader = new Thread(kernelOut, "uml-stdout-" + clusterId + "-" + n);
        reader.setDaemon(true);
        reader.start();
        PtsConsole console = openConsole(n, p, log);
        return new UmlNode(n, p, kernelOut, console, lines);
    }

    /**
     * The host side of node N's console pty, which the kernel names in its mconsole ("config con0"
     * answers "pts:/dev/pts/K" once the line is open); null when the kernel ended or never said
     * (the boot then fails, and its diagnosis reads the kernel's stdout).
     */
    private PtsConsole openConsole(int n, Process kernel, Path log) {
        Path socket = mconsole(n);
        long deadline = System.currentTimeMillis() + CONSOLE_WAIT_MS;
        while (kernel.isAlive() && System.currentTimeMillis() < deadline) {
            if (Files.exists(socket)) {
                try {
                    String answer = new Mconsole(socket).send("config con0", 500).text().strip();
                    if (answer.startsWith("pts:/dev/pts/")) {
                        return PtsConsole.open(Path.of(answer.substring("pts:".length())), log,
                                "uml-console-" + clusterId + "-" + n);
                    }
                } catch (IOException e) {
                    // not answering yet: ask again
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * bash gives the kernel the FIFOs of con1.. as fds 3..10 and becomes setpriv, which sets the death
     * signal and becomes the kernel: one process, spawned by the launcher thread. (bash, not sh: a
     * POSIX sh reads "10<>file" as the word 10 and a redirection of stdin.)
     */
    private List<String> commandLine(int n, Path nodeDir, int port) {
        StringBuilder redirects = new StringBuilder("exec \"$0\" \"$@\"");
        List<String> lineArgs = new ArrayList<>();
        for (int k = 1; k <= EXTRA_LINES; k++) {
            Path[] pair = CommandChannel.fifoPair(nodeDir, k);
            int fdIn = 1 + 2 * k;
            int fdOut = 2 + 2 * k;
            redirects.append(' ').append(fdIn).append("<>'").append(pair[0]).append("' ")
                    .append(fdOut).append("<>'").append(pair[1]).append('\'');
            lineArgs.add("con" + k + "=fd:" + fdIn + ",fd:" + fdOut);
        }
        List<String> argv = new ArrayList<>(List.of("bash", "-c", redirects.toString(),
                "setpriv", "--pdeathsig", "TERM", "--", kernel.toString(),
                "umid=" + umid(n), "uml_dir=" + umlDir(), "mem=" + memMb + "M",
                "ubd0=" + clusterDir.resolve("cow_" + n) + "," + root, "ubd1=" + swapFile(n)));
        // The image stays ubda either way (a ramdisk that mounts it still boots); with a single root,
        // / is the cluster's root folder by hostfs, and the ramdisk is told so by rootfstype/rootflags.
        if (sharedRoot != null) {
            argv.addAll(List.of("root=/dev/root", "rootfstype=hostfs", "rootflags=" + sharedRoot));
        } else {
            argv.add("root=/dev/ubda");
        }
        argv.addAll(List.of("rw", "con=null", "ssl=null", "con0=pts"));
        argv.addAll(lineArgs);
        argv.addAll(List.of(
                String.format("vec0:transport=l2tpv3,udp=1,src=127.0.0.1,srcport=%d,dst=127.0.0.1,dstport=%d,"
                        + "rx_session=%d,tx_session=%d,mac=02:00:00:00:%02x:%02x", port, net.port(), n, n, clusterId % 256, n),
                "quiet", "NODE=" + n, "IP=169.254.50." + n, "CLUSTER=" + sharedDir()));
        if (initrd != null) {
            argv.add("initrd=" + initrd);
        }
        return argv;
    }

    /** After node N's kernel is gone: off the switch, and its pid/mconsole files removed. */
    void forget(int n) {
        net.detach(n);
        KernelInstaller.deleteTree(umlDir().resolve(umid(n)));
    }

    /**
     * Kernels left by a manager of this cluster that died (their pid files under uml/), then the stale
     * node folders and COW files: a fresh cluster starts from nothing.
     */
    void cleanStale() {
        if (staleUmlDir != null && !staleUmlDir.equals(umlDir)) {
            cleanUmlDir(staleUmlDir);
        }
        // (an outside uml_dir was made fresh and empty by this launcher)
        cleanUmlDir(clusterDir.resolve("uml"));
        cleanNodeFiles();
    }

    private void cleanUmlDir(Path uml) {
        if (Files.isDirectory(uml)) {
            try (Stream<Path> dirs = Files.list(uml)) {
                for (Path d : dirs.toList()) {
                    killStaleKernel(d);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KernelInstaller.deleteTree(uml);
        }
    }

    private void cleanNodeFiles() {
        if (Files.isDirectory(clusterDir)) {
            try (Stream<Path> s = Files.list(clusterDir)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith("cow_") || name.matches("node\\d+") || name.equals("root")) {
                        KernelInstaller.deleteTree(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Kills the kernel named by UMID_DIR/pid, if that pid still is a kernel with this umid. */
    private static void killStaleKernel(Path umidDir) {
        Path pidFile = umidDir.resolve("pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String umid = umidDir.getFileName().toString();
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().arguments().map(a -> List.of(a).contains("umid=" + umid)).orElse(false))
                    .ifPresent(h -> {
                        h.destroyForcibly();
                        h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(x -> null).join();
                    });
        } catch (IOException | NumberFormatException e) {
            // unreadable pid file: nothing to kill
        }
    }

    /** Stops the switch and the launcher thread, and removes the kernels' files, the COW files and the root folder. */
    @Override
    public void close() {
        net.close();
        thread.shutdownNow();
        KernelInstaller.deleteTree(umlDir());
        try {
            Files.deleteIfExists(clusterDir.resolve(UML_DIR_POINTER));
        } catch (IOException e) {
            // the next start reads it and finds the folder gone
        }
        if (sharedRoot != null) {
            KernelInstaller.deleteTree(sharedRoot);
        }
        try (Stream<Path> s = Files.list(clusterDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("cow_")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: the next start cleans stale files too
        }
    }
}
