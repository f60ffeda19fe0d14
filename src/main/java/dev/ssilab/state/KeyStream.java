package dev.ssilab.state;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream of keys as they are pressed: a bulk read returns as soon as one key is there, where
 * InputStream's own would wait for the whole buffer. Subclasses give {@link #read()}.
 */
public abstract class KeyStream extends InputStream {

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int c = read();
        if (c < 0) {
            return -1;
        }
        b[off] = (byte) c;
        return 1;
    }
}
