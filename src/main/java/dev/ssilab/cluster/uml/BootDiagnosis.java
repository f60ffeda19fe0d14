package dev.ssilab.cluster.uml;

import java.nio.file.Path;
import java.util.List;

/** Turns the last console lines of a kernel that did not come up into one sentence saying why and what to do. */
final class BootDiagnosis {
    private BootDiagnosis() {}

    static String explain(List<String> tail, Path kernel, Path root) {
        String all = String.join("\n", tail);
        if (all.contains("ptrace set fp regs failed") || all.contains("set fp regs")) {
            return "kernel " + kernel + " dies at its first user process on this CPU (\"ptrace set fp regs failed\": "
                    + "the host's AMX register state is larger than the buffer of UML kernels before 7.x, such as "
                    + "Debian's packaged user-mode-linux 6.x); build a 7.x kernel with 'ssilab kernel install'";
        }
        if (all.contains("mtime mismatch")) {
            return "the root image " + root + " changed after this cluster's COW files were made "
                    + "(\"mtime mismatch\"); stop the cluster and start it again, and never rebuild the image under a running cluster";
        }
        if (all.contains("GLIBC_") && all.contains("not found")) {
            return "kernel " + kernel + " needs a newer C library than this machine has (" + firstMatching(tail, "GLIBC_")
                    + "); build one here with 'ssilab kernel install'";
        }
        if (all.contains("Failed to open") && all.contains("ubd")) {
            return "the kernel cannot open its disks: " + firstMatching(tail, "Failed to open")
                    + "; check that " + root + " exists and is readable";
        }
        if (all.contains("VFS: Unable to mount root") || all.contains("Cannot open root device")) {
            return "the kernel cannot mount the root image " + root + " (" + firstMatching(tail, "root")
                    + "); rebuild it with 'ssilab rootfs build'";
        }
        if (all.contains("Kernel panic")) {
            return "the kernel panicked: " + firstMatching(tail, "Kernel panic");
        }
        if (all.contains("No working init found") || all.contains("Requested init")) {
            return "the root image " + root + " has no working /sbin/init; rebuild it with 'ssilab rootfs build'";
        }
        String last = tail.isEmpty() ? "no console output at all" : "its last console line: " + tail.get(tail.size() - 1).strip();
        return "the kernel " + kernel + " stopped or hung before its node was ready (" + last + ")";
    }

    private static String firstMatching(List<String> tail, String needle) {
        return tail.stream().filter(l -> l.contains(needle)).map(String::strip).findFirst().orElse(needle);
    }
}
