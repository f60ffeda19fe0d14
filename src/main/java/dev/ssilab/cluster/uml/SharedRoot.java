package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster's single root, as OpenSSI's CFS gave it: one folder on the host, filled from the root
 * image when the cluster starts, that every node mounts as its {@code /} by hostfs. A file written
 * anywhere on one node is there on every other at once; what must stay per node ({@code /proc},
 * {@code /sys}, {@code /dev}, {@code /run}) is mounted over it by each node's init, the way OpenSSI's
 * context-dependent links kept them apart.
 *
 * <p>The image stays the source: the learner's own {@code -r root_fs} becomes the tree, copied out by
 * debugfs (no mount, so no root privileges), and the tree is made again at every start.
 */
final class SharedRoot {
    /** SSILAB_UML_ROOT=image boots every node on its own copy-on-write layer of the image instead. */
    static final String MODE_VARIABLE = "SSILAB_UML_ROOT";

    private SharedRoot() {}

    /** Whether this environment asks for the single root (the default) rather than per-node images. */
    static boolean wanted(java.util.Map<String, String> env) {
        String mode = env.getOrDefault(MODE_VARIABLE, "").strip();
        return switch (mode) {
            case "", "shared" -> true;
            case "image" -> false;
            default -> throw new UserError(MODE_VARIABLE + "='" + mode + "' is not a root mode: use shared (one root for the whole"
                    + " cluster, the default) or image (each node its own copy-on-write layer of the image)");
        };
    }

    /** Fills {@code tree} (made anew) with the contents of the ext4 image {@code image}. */
    static void fill(Path image, Path tree) {
        Path debugfs = findDebugfs();
        KernelInstaller.deleteTree(tree);
        try {
            Files.createDirectories(tree);
        } catch (java.io.IOException e) {
            throw new UserError("cannot create the cluster's root folder " + tree + ": " + e.getMessage());
        }
        HostCommand.Result r = HostCommand.run(List.of(debugfs.toString(), "-R", "rdump / " + tree, image.toString()), null, 120);
        if (!r.ok() || !Files.isRegularFile(tree.resolve("sbin/init")) && !Files.isSymbolicLink(tree.resolve("sbin/init"))) {
            String why = r.output().lines().filter(l -> !l.startsWith("debugfs ")).findFirst().orElse("it has no /sbin/init");
            KernelInstaller.deleteTree(tree);
            throw new UserError("cannot copy the root image " + image + " into the cluster's root folder (" + why.strip()
                    + "): is it an ext4 image with /sbin/init? rebuild it with 'ssilab rootfs build'");
        }
    }

    private static Path findDebugfs() {
        for (String dir : List.of("/sbin", "/usr/sbin", "/bin", "/usr/bin")) {
            Path p = Path.of(dir, "debugfs");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new UserError("debugfs is not installed, and the cluster's single root is copied out of the image with it:"
                + " install e2fsprogs (apt-get install e2fsprogs), or boot each node on the image with SSILAB_UML_ROOT=image");
    }
}
