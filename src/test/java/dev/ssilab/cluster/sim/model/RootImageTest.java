package dev.ssilab.cluster.sim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootImageTest {
    private static final Path RECIPE = Path.of("content/rootfs");

    private static SharedFs seeded(Path recipe) {
        SharedFs fs = new SharedFs(new Object());
        new RootImage(recipe, List.of("/bin/ps", "/usr/bin/dbdemo", "/usr/sbin/keepalive")).populate(fs);
        return fs;
    }

    @Test
    void theSharedRootTakesItsDataFromTheRecipeTheUmlNodesAreBuiltFrom() throws Exception {
        SharedFs fs = seeded(RECIPE);
        String alphabet = Files.readString(RECIPE.resolve("usr/share/dbdemo/alphabet"));
        assertEquals(alphabet, fs.read("/usr/share/dbdemo/alphabet"));
        assertEquals(alphabet, fs.read("/root/dbdemo/alphabet"), "the HOWTO's ~/dbdemo has the same database");
        assertEquals(Files.readString(RECIPE.resolve("etc/hosts")), fs.read("/etc/hosts"));
        assertFalse(fs.isFile("/etc/profile"), "the uml node's shell setup is not the simulator's");
    }

    @Test
    void theFstabIsOpenSsisAndModelledProgramsSaySo() throws Exception {
        SharedFs fs = seeded(RECIPE);
        assertEquals("/dev/ubd/0  /  ext3  chard,node=1:2  0 0\n", fs.read("/etc/fstab"));
        assertTrue(fs.read("/usr/sbin/keepalive").contains("modelled by the simulator"));
        assertTrue(fs.isFile("/root/dbdemo/dbdemo"));
        assertFalse(fs.isFile("/opt/ssi/bin/ps"), "the uml node's tools are not copied");
    }

    @Test
    void aMissingRecipeIsSaidPlainly(@TempDir Path dir) {
        assertTrue(assertThrows(IllegalStateException.class, () -> seeded(dir.resolve("nothing"))).getMessage()
                .contains("content/rootfs"));
    }
}
