package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelPiecesTest {

    @Test
    void shippedFragmentAsksForTheCourseOptionsAndNoDebugInfo() {
        Map<String, Boolean> wanted = KernelInstaller.readFragment(
                Path.of(System.getProperty("ssilab.home")).resolve("content/kernel/ssilab.config"));
        for (String on : List.of("HOSTFS", "MCONSOLE", "UML_NET_VECTOR", "BLK_DEV_UBD", "CHECKPOINT_RESTORE", "PID_NS", "MAGIC_SYSRQ",
                "BLK_DEV_INITRD")) {
            assertEquals(Boolean.TRUE, wanted.get(on), on);
        }
        assertEquals(Boolean.FALSE, wanted.get("DEBUG_INFO"));
    }

    @Test
    void badFragmentLineIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("frag.config");
        Files.writeString(f, "CONFIG_HOSTFS=y\nCONFIG_FOO=m\n");
        UserError e = assertThrows(UserError.class, () -> KernelInstaller.readFragment(f));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
    }

    @Test
    void newestSourcePackageWinsNumerically() {
        assertEquals("linux-source-7.10", KernelInstaller.newestSource(List.of("linux-source-7.2", "linux-source-7.10", "linux-source-6.12")));
        assertThrows(UserError.class, () -> KernelInstaller.newestSource(List.of("linux-source-6.12")));
    }

    @Test
    void mirrorComesFromTheMachinesDebianSourcesNotFromCode(@TempDir Path etc) throws Exception {
        Files.createDirectories(etc.resolve("sources.list.d"));
        Files.writeString(etc.resolve("sources.list.d/debian.sources"), """
                Types: deb
                URIs: http://mirror.invalid/debian
                Suites: bookworm bookworm-updates
                Components: main

                Types: deb
                URIs: http://mirror.invalid/debian-security
                Suites: bookworm-security
                Components: main
                """);
        assertEquals("http://mirror.invalid/debian", PrivateApt.machineMirror(Map.of(), etc));
        assertEquals("http://other.invalid/debian", PrivateApt.machineMirror(Map.of("SSILAB_DEBIAN_MIRROR", "http://other.invalid/debian"), etc));
        Path old = etc.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("sources.list"), "deb http://security.invalid/debian-security bookworm-security main\n"
                + "deb [arch=amd64] http://one.invalid/debian bookworm main\n");
        assertEquals("http://one.invalid/debian", PrivateApt.machineMirror(Map.of(), old));
        assertThrows(UserError.class, () -> PrivateApt.machineMirror(Map.of(), etc.resolve("empty")));
    }

    @Test
    void bootFailuresAreExplainedWithTheirFix() {
        Path k = Path.of("/k"), r = Path.of("/root_fs");
        String amx = BootDiagnosis.explain(List.of("userspace - ptrace set fp regs failed, errno = 14", "Attempted to kill init!"), k, r);
        assertTrue(amx.contains("AMX") && amx.contains("ssilab kernel install"), amx);
        String cow = BootDiagnosis.explain(List.of("mtime mismatch (1 vs 2) of COW header vs backing file"), k, r);
        assertTrue(cow.contains("stop the cluster"), cow);
        String other = BootDiagnosis.explain(List.of("something odd"), k, r);
        assertTrue(other.contains("something odd"), other);
        assertFalse(BootDiagnosis.explain(List.of(), k, r).isBlank());
    }
}
