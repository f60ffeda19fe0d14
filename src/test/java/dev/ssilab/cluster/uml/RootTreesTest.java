package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base tree and the cluster tools as folders, the tools' Makefile, and an image made of a folder. */
class RootTreesTest {
    private final RootTrees trees = new RootTrees(RootfsBuilderTest.RECIPE, line -> { });

    static HostCommand.Result sh(Path dir, String script) {
        return HostCommand.run(List.of("sh", "-c", script), dir, 120);
    }

    @Test
    void baseIsBusyboxWithRelativeAppletLinksAndAPcsEtcWithoutTheClusterTools(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base");
        trees.base(base);
        assertTrue(RootfsBuilder.isStaticElf(base.resolve("bin/busybox")));
        assertEquals(Path.of("../bin/busybox"), Files.readSymbolicLink(base.resolve("sbin/init")), "busybox init, linked relatively");
        assertEquals(Path.of("../../bin/busybox"), Files.readSymbolicLink(base.resolve("usr/bin/awk")));
        assertTrue(Files.readString(base.resolve("etc/fstab")).contains("/dev/sda1"), "a PC's fstab");
        assertTrue(Files.isExecutable(base.resolve("etc/init.d/S40network")));
        assertTrue(Files.readString(base.resolve("etc/inittab")).contains("::sysinit:/etc/init.d/rcS"));
        assertFalse(Files.exists(base.resolve("opt/ssi")), "no cluster tools in a base");
        assertEquals("rwxrwxrwx", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("tmp"))));
        UserError again = assertThrows(UserError.class, () -> trees.base(base));
        assertTrue(again.getMessage().contains("already exists and is not an empty folder"), again.getMessage());
        UserError noParent = assertThrows(UserError.class, () -> trees.base(dir.resolve("a/b")));
        assertTrue(noParent.getMessage().contains("does not exist"), noParent.getMessage());
    }

    @Test
    void toolsInstallIntoABaseReplacingItsInitLinkWithoutWritingThroughIt(@TempDir Path dir) throws Exception {
        byte[] hostBusybox = sha(Path.of("/bin/busybox"));
        Path base = dir.resolve("root");
        trees.base(base);
        Path tools = dir.resolve("ssi-tools");
        trees.tools(tools);
        assertTrue(Files.isExecutable(tools.resolve("opt/ssi/bin/ssi-agent")));
        assertTrue(Files.isRegularFile(tools.resolve("Makefile")) && Files.isRegularFile(tools.resolve("README")));
        assertFalse(Files.exists(tools.resolve("etc/fstab")), "fstab is the root's configuration, not the tools'");
        assertFalse(Files.exists(tools.resolve("etc/passwd")));

        HostCommand.Result check = sh(tools, "make");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("scripts checked: no syntax error"), check.output());

        HostCommand.Result noDest = sh(tools, "make install");
        assertTrue(noDest.exitCode() != 0 && noDest.output().contains("make install needs DESTDIR="), noDest.output());
        HostCommand.Result notRoot = sh(tools, "make install DESTDIR=" + dir);
        assertTrue(notRoot.exitCode() != 0 && notRoot.output().contains("is not a root tree"), notRoot.output());

        HostCommand.Result install = sh(tools, "make install DESTDIR=" + base);
        assertEquals(0, install.exitCode(), install.output());
        assertFalse(Files.isSymbolicLink(base.resolve("sbin/init")), "the link to busybox was replaced, not written through");
        assertEquals(Files.readString(RootfsBuilderTest.RECIPE.resolve("sbin/init")), Files.readString(base.resolve("sbin/init")));
        assertTrue(Files.isExecutable(base.resolve("sbin/init")));
        assertTrue(Files.isDirectory(base.resolve("cluster")) && Files.isDirectory(base.resolve("devfs")));
        try (var links = Files.walk(RootfsBuilderTest.RECIPE)) {
            for (Path link : links.filter(Files::isSymbolicLink).toList()) {
                Path installed = base.resolve(RootfsBuilderTest.RECIPE.relativize(link).toString());
                assertEquals(Files.readSymbolicLink(link), Files.readSymbolicLink(installed), "links stay links: " + installed);
            }
        }
        assertTrue(Files.readString(tools.resolve("README")).contains("  opt/ssi/bin/onnode\n"), "the README lists the files");
        assertTrue(Files.readString(base.resolve("etc/fstab")).contains("/dev/sda1"), "the base's fstab is left to configure");
        assertArrayEquals(hostBusybox, sha(Path.of("/bin/busybox")), "the host's busybox is untouched");
    }

    @Test
    void anImageOfAHandMadeTreeHoldsItsFilesAndLeavesTheTreeAlone(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("myroot");
        trees.base(root);
        trees.tools(dir.resolve("tools"));
        assertEquals(0, sh(dir.resolve("tools"), "make install DESTDIR=" + root).exitCode());
        Files.writeString(root.resolve("etc/marker"), "mine\n");
        RootfsBuilder builder = new RootfsBuilder(RootfsBuilderTest.RECIPE, line -> { });
        long size = builder.image(root, dir.resolve("myroot_fs"));
        assertTrue(size > 1_000_000);
        HostCommand.Result cat = HostCommand.run(List.of(HostCommand.program("debugfs"), "-R", "cat /etc/marker",
                dir.resolve("myroot_fs").toString()), null, 30);
        assertTrue(cat.output().contains("mine"), cat.output());
        HostCommand.Result init = HostCommand.run(List.of(HostCommand.program("debugfs"), "-R", "stat /sbin/init",
                dir.resolve("myroot_fs").toString()), null, 30);
        assertTrue(init.output().contains("Type: regular") && init.output().contains("Mode:  0755"), init.output());
        assertTrue(Files.getLastModifiedTime(root.resolve("etc/marker")).toMillis() > RootfsBuilder.FIXED_EPOCH * 1000,
                "the tree's own times are left as they were");

        UserError notDir = assertThrows(UserError.class, () -> builder.image(root.resolve("etc/marker"), dir.resolve("x")));
        assertTrue(notDir.getMessage().contains("it is not a folder"), notDir.getMessage());
        Path bare = Files.createDirectories(dir.resolve("bare"));
        UserError noInit = assertThrows(UserError.class, () -> builder.image(bare, dir.resolve("x")));
        assertTrue(noInit.getMessage().contains("has no sbin/init"), noInit.getMessage());
        UserError inside = assertThrows(UserError.class, () -> builder.image(root, root.resolve("img")));
        assertTrue(inside.getMessage().contains("inside the folder it is made of"), inside.getMessage());
    }

    private static byte[] sha(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }
}
