package dev.ssilab.cluster.uml;

import dev.ssilab.state.AtomicFiles;
import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CRIU builds of this machine, ready to copy into a cluster's root:
 * {@code $XDG_CACHE_HOME/ssilab/criu/KEY/opt/criu/} with {@code bin/criu} and the libraries it needs in
 * {@code lib/} (its loader included: the binary names {@code /opt/criu/lib/ld-linux-x86-64.so.2} as its
 * interpreter, so it runs in any root, whatever that root's own /lib holds). KEY is CRIU's Debian version
 * and a hash of ssilab's patches; a {@code current} file names the one in use.
 */
public final class CriuStore {
    /** Where the bundle goes in a node's root, and the path its binary was linked for. */
    static final String IN_ROOT = "opt/criu";

    private final Path root;

    public CriuStore(SsilabPaths paths) {
        this.root = paths.cacheHome().resolve("criu");
    }

    public Path root() {
        return root;
    }

    /** The bundle's folder for this key ({@code KEY/opt/criu}), whether or not it exists yet. */
    Path bundleFor(String key) {
        return root.resolve(key).resolve(IN_ROOT);
    }

    /** The installed bundle ({@code .../opt/criu}), if one was installed and its criu is still there. */
    public Optional<Path> current() {
        Path marker = root.resolve("current");
        try {
            if (!Files.isRegularFile(marker)) {
                return Optional.empty();
            }
            Path bundle = bundleFor(Files.readString(marker).strip());
            return Files.isExecutable(bundle.resolve("bin/criu")) ? Optional.of(bundle) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The key of the installed bundle, if any. */
    public Optional<String> currentKey() {
        return current().map(b -> b.getParent().getParent().getFileName().toString());
    }

    void makeCurrent(String key) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UserError("cannot create " + root + ": " + e.getMessage());
        }
        AtomicFiles.writeString(root.resolve("current"), key + "\n");
    }

    /** Deletes the bundles of other keys (older builds): clusters have their own copies. */
    void removeOthers(String key) {
        try (java.util.stream.Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                if (!d.getFileName().toString().equals(key) && Files.isDirectory(d.resolve(IN_ROOT))) {
                    KernelInstaller.deleteTree(d);
                }
            }
        } catch (IOException e) {
            // an old bundle left behind costs 5 MB of disk, nothing else
        }
    }

    /**
     * Copies the installed bundle into a cluster's root folder ({@code ROOT/opt/criu}), replacing what
     * is there; false, and nothing copied, when no CRIU is installed.
     */
    public boolean copyInto(Path rootTree) {
        Optional<Path> bundle = current();
        if (bundle.isEmpty()) {
            return false;
        }
        Path target = rootTree.resolve(IN_ROOT);
        KernelInstaller.deleteTree(target);
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UserError("cannot create " + target.getParent() + ": " + e.getMessage());
        }
        HostCommand.Result r = HostCommand.run(List.of("cp", "-a", bundle.get().toString(), target.toString()), null, 120);
        if (!r.ok()) {
            throw new UserError("cannot copy CRIU into the cluster's root " + target + ": " + r.output().strip());
        }
        return true;
    }
}
