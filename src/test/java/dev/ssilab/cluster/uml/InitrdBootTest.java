package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.cluster.StartRequest;
import dev.ssilab.state.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssi-start -i on real nodes: the kernel runs the ramdisk's /init, which hands over to the root image's. */
class InitrdBootTest {
    static final String INIT = """
            #!/bin/busybox sh
            # test ramdisk: say so in the kernel log, mount the real root, hand over to its /sbin/init
            /bin/busybox mount -t proc proc /proc
            /bin/busybox mount -t devtmpfs devtmpfs /dev
            echo "ssilab-initrd-test: the ramdisk's init ran on node $NODE" >/dev/kmsg
            /bin/busybox mount -t ext4 /dev/ubda /newroot
            /bin/busybox umount /dev
            /bin/busybox umount /proc
            exec /bin/busybox switch_root /newroot /sbin/init
            """;

    static Path initrd(Path dir) throws Exception {
        Path img = dir.resolve("initrd.img");
        new Cpio().dir("bin").dir("dev").dir("proc").dir("newroot")
                .file("bin/busybox", 0755, Path.of("/bin/busybox"))
                .file("init", 0755, INIT.getBytes(StandardCharsets.UTF_8))
                .writeTo(img);
        return img;
    }

    @Test
    void aNodeBootsThroughTheRamdiskAndThenRunsTheRootImagesInit(@TempDir Path dir) throws Exception {
        UmlTestSupport.requireWorkingUml(dir);
        Path root = UmlTestSupport.rootImage(dir);
        UmlBackend b = (UmlBackend) new UmlBackendProvider().create(10011,
                new StartRequest("uml", 1, root, 16, null, initrd(dir)), dir.resolve("clusters/10011"));
        try {
            b.boot(List.of(1));
            ExecResult log = UmlBackendTest.run(b, 1, "dmesg | grep ssilab-initrd-test");
            assertEquals(0, log.exitCode(), "the ramdisk's init wrote to the kernel log: " + log.output());
            assertTrue(log.output().contains("the ramdisk's init ran on node 1"), log.output());
            // handed over: the root image's init set the node up (hostname, /cluster) and serves commands
            assertEquals("node1\n", UmlBackendTest.run(b, 1, "hostname").output());
            assertEquals(0, UmlBackendTest.run(b, 1, "test -d /cluster/.ssi").exitCode());
            assertEquals(0, UmlBackendTest.run(b, 1, "test ! -e /init").exitCode(), "the ramdisk is gone after switch_root");
        } finally {
            b.close();
        }
        assertEquals(List.of(), UmlTestSupport.allKernelProcesses(dir.resolve("clusters/10011")));
    }

    @Test
    void aFileThatIsNoInitramfsIsRefusedBeforeAnyNodeBoots(@TempDir Path dir) throws Exception {
        Path root = UmlTestSupport.rootImage(dir);
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a ramdisk\n");
        UserError e = assertThrows(UserError.class, () -> new UmlBackendProvider().create(10012,
                new StartRequest("uml", 1, root, 16, null, notes), dir.resolve("clusters/10012")));
        assertTrue(e.getMessage().startsWith("initrd " + notes + " is not an initramfs"), e.getMessage());
        UserError k = assertThrows(UserError.class, () -> new UmlBackendProvider().create(10012,
                new StartRequest("uml", 1, root, 16, Path.of("/bin/ls"), null), dir.resolve("clusters/10012")));
        assertTrue(k.getMessage().contains("is not a User-Mode Linux kernel"), k.getMessage());
        assertTrue(UmlTestSupport.allKernelProcesses(dir.resolve("clusters/10012")).isEmpty());
    }
}
