package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ssi-start -k and -i accept, and the one line they say about anything else. */
class BootFilesTest {

    static Path file(Path dir, String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void initrdFormatsTheKernelReadsAreRecognised(@TempDir Path dir) throws Exception {
        assertEquals("cpio (newc)", BootFiles.initrdFormat(file(dir, "a", "070701000000".getBytes())).name());
        assertEquals("RD_GZIP", BootFiles.initrdFormat(file(dir, "b", new byte[] {0x1f, (byte) 0x8b, 8, 0})).option());
        assertEquals("RD_XZ", BootFiles.initrdFormat(file(dir, "c", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})).option());
        assertEquals("RD_ZSTD", BootFiles.initrdFormat(file(dir, "d", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd})).option());
    }

    @Test
    void anythingElseIsOneLineSayingWhatItIsNot(@TempDir Path dir) throws Exception {
        UserError empty = assertThrows(UserError.class, () -> BootFiles.initrdFormat(file(dir, "empty", new byte[0])));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        UserError odc = assertThrows(UserError.class, () -> BootFiles.initrdFormat(file(dir, "odc", "070707aaaa".getBytes())));
        assertTrue(odc.getMessage().contains("old-format cpio"), odc.getMessage());
        UserError text = assertThrows(UserError.class, () -> BootFiles.initrdFormat(file(dir, "notes.txt", "hello\n".getBytes())));
        assertTrue(text.getMessage().startsWith("initrd " + dir.resolve("notes.txt") + " is not an initramfs"), text.getMessage());
        assertEquals(1, text.getMessage().lines().count());
    }

    @Test
    void aKernelMustBeAnElfProgramThatSaysAUmlRelease(@TempDir Path dir) throws Exception {
        UserError text = assertThrows(UserError.class, () -> BootFiles.checkKernel(file(dir, "linux", "#!/bin/sh\necho 7.2\n".getBytes())));
        assertTrue(text.getMessage().contains("is not a program (no ELF header)"), text.getMessage());
        UserError notUml = assertThrows(UserError.class, () -> BootFiles.checkKernel(Path.of("/bin/ls")));
        assertTrue(notUml.getMessage().startsWith("kernel /bin/ls is not a User-Mode Linux kernel that runs here ('ls --version' said 'ls (GNU coreutils)"),
                notUml.getMessage());
        assertEquals(1, notUml.getMessage().lines().count());
    }

    @Test
    void aKernelWithoutInitrdSupportIsRefusedInsteadOfSilentlyIgnoringTheInitrd(@TempDir Path dir) throws Exception {
        Path cpio = file(dir, "initrd.img", "070701".getBytes());
        Path gz = file(dir, "initrd.gz", new byte[] {0x1f, (byte) 0x8b});
        Path without = fakeKernel(dir, "without", "CONFIG_UML=y\n# CONFIG_BLK_DEV_INITRD is not set\n");
        UserError e = assertThrows(UserError.class, () -> BootFiles.checkKernelReads(without, cpio, BootFiles.initrdFormat(cpio)));
        assertTrue(e.getMessage().contains("built without CONFIG_BLK_DEV_INITRD, so it would ignore initrd"), e.getMessage());
        Path with = fakeKernel(dir, "with", "CONFIG_UML=y\nCONFIG_BLK_DEV_INITRD=y\n# CONFIG_RD_GZIP is not set\n");
        BootFiles.checkKernelReads(with, cpio, BootFiles.initrdFormat(cpio));
        UserError noGzip = assertThrows(UserError.class, () -> BootFiles.checkKernelReads(with, gz, BootFiles.initrdFormat(gz)));
        assertTrue(noGzip.getMessage().contains("cannot unpack (built without CONFIG_RD_GZIP)"), noGzip.getMessage());
    }

    @Test
    void theInstalledKernelPassesAndReadsInitrds(@TempDir Path dir) throws Exception {
        Path kernel = UmlTestSupport.installedKernel();
        assertTrue(BootFiles.checkKernel(kernel).matches("7\\.\\d+.*"));
        Path cpio = file(dir, "initrd.img", "070701".getBytes());
        BootFiles.checkKernelReads(kernel, cpio, BootFiles.initrdFormat(cpio));
    }

    /** A script standing in for a kernel's --showconfig. */
    private static Path fakeKernel(Path dir, String name, String config) throws Exception {
        Path k = dir.resolve(name);
        Files.writeString(k, "#!/bin/sh\ncat <<'END'\n" + config + "END\n");
        Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rwxr-xr-x"));
        return k;
    }
}
