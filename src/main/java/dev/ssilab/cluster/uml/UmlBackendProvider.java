package dev.ssilab.cluster.uml;

import dev.ssilab.cluster.BackendName;
import dev.ssilab.cluster.BackendProvider;
import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.StartRequest;
import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes {@link UmlBackend}s: real User-Mode Linux nodes ({@code --backend uml}). */
public final class UmlBackendProvider implements BackendProvider {
    static final int NODE_MEM_MB = 64;

    @Override
    public String name() {
        return BackendName.UML.id();
    }

    @Override
    public ClusterBackend create(int clusterId, StartRequest request, Path clusterDir) {
        Path kernel = resolveKernel(request.kernel(), SsilabPaths.fromEnvironment(System.getenv()));
        Path root = request.root();
        if (root == null || !Files.isRegularFile(root)) {
            throw new UserError("root image not found: " + root + " (build one with 'ssilab rootfs build -o " + root + "')");
        }
        if (request.kernel() != null) {
            BootFiles.checkKernel(kernel);
        }
        if (request.initrd() != null) {
            if (!Files.isRegularFile(request.initrd())) {
                throw new UserError("initrd not found: " + request.initrd() + " (pass an existing file with -i)");
            }
            BootFiles.checkKernelReads(kernel, request.initrd(), BootFiles.initrdFormat(request.initrd()));
        }
        return new UmlBackend(clusterId, clusterDir, root, kernel, request.initrd(), request.swapMb(), NODE_MEM_MB);
    }

    /** -k KERNEL when given, else the kernel installed by 'ssilab kernel install'. */
    public static Path resolveKernel(Path requested, SsilabPaths paths) {
        if (requested != null) {
            if (!Files.isRegularFile(requested) || !Files.isExecutable(requested)) {
                throw new UserError("kernel not found or not executable: " + requested + " (pass a UML kernel binary with -k)");
            }
            return requested.toAbsolutePath().normalize();
        }
        KernelStore store = new KernelStore(paths);
        return store.current().orElseThrow(() -> new UserError("no UML kernel installed in " + store.root()
                + ": run 'ssilab kernel install' (about 4 minutes), or pass one with -k KERNEL"));
    }
}
