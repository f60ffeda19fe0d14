package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks what {@code ssi-start -k KERNEL -i INITRD} is given before any node boots, so that a wrong file
 * is one clear line instead of a node that hangs or, worse, boots without the ramdisk and says nothing.
 */
final class BootFiles {
    private BootFiles() {}

    /** An initramfs format the kernel reads, and the kernel option it needs for it (null: none). */
    record Format(String name, String option) {}

    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    /** Throws unless {@code kernel} is a UML kernel that runs here; returns its release. */
    static String checkKernel(Path kernel) {
        byte[] head = head(kernel, 4);
        if (!Arrays.equals(head, ELF)) {
            throw new UserError("kernel " + kernel + " is not a program (no ELF header): give a User-Mode Linux kernel, "
                    + "the file 'linux' that make ARCH=um linux writes at the top of the kernel tree");
        }
        HostCommand.Result r = HostCommand.run(List.of(kernel.toString(), "--version"), null, 20);
        String out = r.output().strip();
        if (!r.ok() || out.isEmpty() || out.contains("\n") || !Character.isDigit(out.charAt(0))) {
            String said = out.isEmpty() ? "nothing" : "'" + out.lines().findFirst().orElse("").strip() + "'";
            throw new UserError("kernel " + kernel + " is not a User-Mode Linux kernel that runs here ('" + kernel.getFileName()
                    + " --version' said " + said + ", not a kernel release): give the file 'linux' that make ARCH=um linux writes");
        }
        return out;
    }

    /** The initramfs's format, or a UserError saying what the file is not. */
    static Format initrdFormat(Path initrd) {
        byte[] h = head(initrd, 6);
        if (h.length == 0) {
            throw new UserError("initrd " + initrd + " is empty: make it again (usr/gen_initramfs.sh -o FILE FOLDER in a kernel tree)");
        }
        String ascii = new String(h, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (ascii.equals("070701") || ascii.equals("070702")) {
            return new Format("cpio (newc)", null);
        }
        if (ascii.equals("070707")) {
            throw new UserError("initrd " + initrd + " is an old-format cpio archive, which the kernel does not read: "
                    + "make it in the newc format (cpio -o -H newc, or usr/gen_initramfs.sh)");
        }
        if (starts(h, 0x1f, 0x8b)) {
            return new Format("gzip-compressed cpio", "RD_GZIP");
        }
        if (starts(h, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return new Format("xz-compressed cpio", "RD_XZ");
        }
        if (starts(h, 0x28, 0xb5, 0x2f, 0xfd)) {
            return new Format("zstd-compressed cpio", "RD_ZSTD");
        }
        if (starts(h, 'B', 'Z', 'h')) {
            return new Format("bzip2-compressed cpio", "RD_BZIP2");
        }
        if (starts(h, 0x5d, 0x00, 0x00)) {
            return new Format("lzma-compressed cpio", "RD_LZMA");
        }
        if (starts(h, 0x02, 0x21, 0x4c, 0x18)) {
            return new Format("lz4-compressed cpio", "RD_LZ4");
        }
        if (starts(h, 0x89, 'L', 'Z', 'O')) {
            return new Format("lzo-compressed cpio", "RD_LZO");
        }
        throw new UserError("initrd " + initrd + " is not an initramfs (a cpio archive in the newc format, maybe compressed): "
                + "make one with usr/gen_initramfs.sh -o FILE FOLDER in a kernel tree");
    }

    /**
     * Throws when the kernel would ignore or fail to read the initrd: UML takes {@code initrd=} only when
     * built with BLK_DEV_INITRD (else the option silently becomes an environment variable of init).
     */
    static void checkKernelReads(Path kernel, Path initrd, Format format) {
        Optional<String> config = config(kernel);
        if (config.isEmpty()) {
            return; // a kernel that does not say its config: let it try
        }
        if (!config.get().contains("\nCONFIG_BLK_DEV_INITRD=y")) {
            throw new UserError("kernel " + kernel + " was built without CONFIG_BLK_DEV_INITRD, so it would ignore initrd "
                    + initrd + ": build it with that option (scripts/config -e BLK_DEV_INITRD; ssilab kernel install does)");
        }
        if (format.option() != null && !config.get().contains("\nCONFIG_" + format.option() + "=y")) {
            throw new UserError("initrd " + initrd + " is a " + format.name() + ", which kernel " + kernel
                    + " cannot unpack (built without CONFIG_" + format.option() + "): leave the initrd uncompressed, or enable that option");
        }
    }

    /** The .config a UML kernel was built with ({@code linux --showconfig}), if it says. */
    static Optional<String> config(Path kernel) {
        HostCommand.Result r = HostCommand.run(List.of(kernel.toString(), "--showconfig"), null, 20);
        if (!r.ok() || !r.output().contains("CONFIG_UML=y")) {
            return Optional.empty();
        }
        return Optional.of("\n" + r.output());
    }

    private static boolean starts(byte[] h, int... magic) {
        if (h.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }
}
