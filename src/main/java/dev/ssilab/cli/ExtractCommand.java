package dev.ssilab.cli;

import dev.ssilab.artifact.Extractor;
import dev.ssilab.artifact.Progress;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssilab extract ARCHIVE [-C DIR] [-o FILE]}: unpacks a .bz2/.gz/.xz file or a tarball, safely. */
@Command(name = "extract", mixinStandardHelpOptions = true, description = {
        "Unpack ARCHIVE: a lone X.bz2 (or .gz, .xz) becomes X beside it; a tarball (.tar, .tar.bz2, .tar.gz, "
                + ".tar.xz) unpacks into the current folder. Entries that would land outside it are refused.",
        "Nothing of yours is replaced: a file already there with different content, or a symlink where the "
                + "archive has a name, stops the extraction before anything is written (remove it, or use -C DIR). "
                + "A file identical to the archive's is fine, so extracting the same archive twice works. "
                + "Only -o FILE replaces FILE, as asked (like 'bunzip2 -c X >FILE')."})
final class ExtractCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE")
    Path archive;

    @Option(names = "-C", paramLabel = "DIR", description = "Unpack into DIR (created if missing) instead of the current folder.")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "For a lone compressed file: write FILE (like 'bunzip2 -c X >FILE'); '-' writes to standard output.")
    String output;

    @Option(names = "--max-size", paramLabel = "SIZE",
            description = "Refuse output larger than SIZE (e.g. 8G, 500M). Default: 1000 times the archive's size, "
                    + "at least 256M, which stops decompression bombs. Extraction also stops before the disk is full.")
    String maxSize;

    @Override
    public Integer call() throws Exception {
        Progress.Factory bar = Progress.Factory.forTerminal(System.console() != null, System.getenv(), System.err);
        Extractor extractor = new Extractor(bar, Runtime.getRuntime().availableProcessors(),
                maxSize == null ? 0 : Extractor.parseSize(maxSize));
        if ("-".equals(output)) {
            // Not System.out: a PrintStream hides write errors such as a full disk.
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 17);
            extractor.decompressTo(archive, out, "standard output");
            return 0;
        }
        Extractor.Result r = extractor.extract(archive, dir, output == null ? null : Path.of(output),
                Path.of("").toAbsolutePath());
        if (r.tarball()) {
            System.out.println("Unpacked " + archive.getFileName() + " into " + r.output() + ": " + r.files()
                    + " files, " + r.bytes() + " bytes (" + String.join(", ", r.topLevel()) + ")");
        } else {
            System.out.println("Extracted " + archive.getFileName() + " to " + r.output().toAbsolutePath().normalize()
                    + " (" + r.bytes() + " bytes)");
        }
        return 0;
    }
}
