package dev.ssilab.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the compressed bytes read, for the progress bar, and closes the bar with the stream. */
final class ProgressInputStream extends FilterInputStream {
    private final Progress progress;
    private long count;

    ProgressInputStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    // Only bulk reads arrive here: a BufferedInputStream sits on top.
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            progress.update(count);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        progress.close();
        super.close();
    }
}
