package dev.ssilab.cluster;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection to a cluster manager's AF_UNIX socket, in the manager's small wire protocol.
 *
 * <p>The protocol. A client connects and sends ONE request header line (UTF-8, ending in '\n', words
 * separated by single spaces): {@code PING}, {@code NODES}, {@code ADD N...}, {@code CRASH N},
 * {@code EXEC N TIMEOUT_MS [KEYS]}, {@code CONSOLE N [RAW]} or {@code STOP}. After that both sides speak frames:
 * one type byte, a 4-byte big-endian payload length, the payload.
 * <ul>
 *   <li>{@code D} data: the command line (client, once, right after EXEC), output (manager), keyboard
 *       input (client, during CONSOLE, and during EXEC ... KEYS)</li>
 *   <li>{@code E} end of the client's input (CONSOLE)</li>
 *   <li>{@code W} the client's terminal size (CONSOLE RAW, at attach and when it changes), payload =
 *       {@code ROWS COLS} as text</li>
 *   <li>{@code K} success; payload = the answer as text lines, fields separated by tabs: PING
 *       {@code ssilab-clusterd 1 BACKEND ID}; NODES one {@code N STATE SERVICE...} line per node; ADD
 *       the nodes now up, then a line with the nodes skipped because they were up already; CRASH {@code SERVICE NODE} lines; STOP nothing</li>
 *   <li>{@code F} failure; payload = one line for the user (a UserError on the client)</li>
 *   <li>{@code X} exit status of EXEC or CONSOLE, payload = 4-byte big-endian int; the last frame</li>
 * </ul>
 * A CONSOLE whose node or cluster was stopped (ssi-rm, ssi-stop) ends with a D frame holding the line
 * {@code node N of cluster ID stopped} or {@code cluster ID stopped}, then X 0; a connection that ends
 * without an X frame means the manager died.
 * The manager answers every request with exactly one K, F or X frame (EXEC and CONSOLE send D frames
 * before it) and then closes the connection; one request per connection keeps both sides simple.
 */
final class ManagerProtocol implements Closeable {
    static final byte DATA = 'D';
    static final byte END = 'E';
    static final byte SIZE = 'W';
    static final byte OK = 'K';
    static final byte FAIL = 'F';
    static final byte EXIT = 'X';

    static final String PING = "PING";
    static final String NODES = "NODES";
    static final String ADD = "ADD";
    static final String CRASH = "CRASH";
    static final String EXEC = "EXEC";
    static final String CONSOLE = "CONSOLE";
    static final String STOP = "STOP";
    /** {@code EXEC N TIMEOUT_MS KEYS}: the client sends the learner's keys as D frames while the command runs. */
    static final String KEYS = "KEYS";
    /** {@code CONSOLE N RAW}: the client's terminal is raw (keys as pressed, no local echo). */
    static final String RAW = "RAW";
    static final String VERSION = "ssilab-clusterd 1";

    private static final int MAX_HEADER = 4096;
    private static final int MAX_FRAME = 16 << 20;

    /** A frame as read. */
    record Frame(byte type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int exitCode() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    private final SocketChannel channel;
    private final Object writeLock = new Object();

    ManagerProtocol(SocketChannel channel) {
        this.channel = channel;
    }

    // SocketChannel reads and writes take separate locks, so a console can read and write at once.
    // (Channels.newInputStream/newOutputStream would serialise them on one lock and deadlock.)

    void writeHeader(String line) throws IOException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("request header must be one line: " + line);
        }
        writeFully(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads the request header; null when the client closed without sending one. */
    String readHeader() throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            one.clear();
            int n = channel.read(one);
            if (n < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (n == 0) {
                continue;
            }
            byte b = one.get(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_HEADER) {
                throw new BadHeader("malformed request: the header is longer than " + MAX_HEADER + " bytes");
            }
            line.write(b);
        }
    }

    /** A request header the manager will not read on: its message is the one F line the client gets. */
    static final class BadHeader extends IOException {
        BadHeader(String message) {
            super(message);
        }
    }

    /**
     * The words of a request header; a header that is not printable ASCII (binary junk, another
     * protocol) is a UserError saying so, as is an empty one.
     */
    static String[] words(String header) {
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new dev.ssilab.state.UserError("malformed request: the header is not a line of text (byte "
                        + (c > 0xff ? "not UTF-8" : String.format("0x%02x", (int) c)) + " at " + i + "); this cluster manager speaks " + VERSION);
            }
        }
        if (header.isBlank()) {
            throw new dev.ssilab.state.UserError("malformed request: empty header (this cluster manager speaks " + VERSION + ")");
        }
        return header.split(" ", -1);
    }

    /** Echoes a piece of a bad request back, short enough for one line. */
    static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    void writeFrame(byte type, byte[] payload, int offset, int length) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5).put(type).putInt(length).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
        synchronized (writeLock) {
            writeFully(head);
            writeFully(body);
        }
    }

    void writeFrame(byte type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeFrame(type, bytes, 0, bytes.length);
    }

    void writeExit(int status) throws IOException {
        writeFrame(EXIT, ByteBuffer.allocate(4).putInt(status).array(), 0, 4);
    }

    /** The next frame; null at a clean end of stream between frames. */
    Frame readFrame() throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5);
        if (!readFully(head, true)) {
            return null;
        }
        head.flip();
        byte type = head.get();
        int length = head.getInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length + " from the cluster manager socket");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, false);
        return new Frame(type, body.array());
    }

    /** Output as D frames: what a backend prints goes straight to the client. */
    OutputStream dataOutput() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    writeFrame(DATA, b, off, len);
                }
            }
        };
    }

    /** The client's D frames as a stream that ends at an E frame or when the client goes away. */
    /** Called with (rows, cols) for every size frame that {@link #dataInput} meets. */
    private volatile java.util.function.BiConsumer<Integer, Integer> resized = (r, c) -> { };

    void onResize(java.util.function.BiConsumer<Integer, Integer> action) {
        resized = action;
    }

    /** The client's terminal size as a frame: at attach, and again whenever it changes. */
    void writeSize(int rows, int cols) throws IOException {
        byte[] b = (rows + " " + cols).getBytes(StandardCharsets.UTF_8);
        writeFrame(SIZE, b, 0, b.length);
    }

    private void resize(String text) {
        String[] w = text.strip().split(" ");
        try {
            int rows = Integer.parseInt(w[0]);
            int cols = Integer.parseInt(w[1]);
            if (rows > 0 && rows < 1000 && cols > 0 && cols < 1000) {
                resized.accept(rows, cols);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // a size we cannot read: the node keeps the one it has
        }
    }

    InputStream dataInput() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos >= current.length) {
                    if (ended) {
                        return -1;
                    }
                    Frame f;
                    try {
                        f = readFrame();
                    } catch (IOException e) {
                        f = null; // the client went away: that ends its input
                    }
                    if (f != null && f.type() == SIZE) {
                        resize(f.text());
                        continue;
                    }
                    if (f == null || f.type() != DATA) {
                        ended = true;
                        return -1;
                    }
                    current = f.payload();
                    pos = 0;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Fills buf; false if the stream ended before the first byte and {@code endOk}. */
    private boolean readFully(ByteBuffer buf, boolean endOk) throws IOException {
        boolean first = true;
        while (buf.hasRemaining()) {
            int n = channel.read(buf);
            if (n < 0) {
                if (first && endOk) {
                    return false;
                }
                throw new EOFException("the cluster manager connection ended in the middle of a frame");
            }
            if (n > 0) {
                first = false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing twice or after the peer left is harmless
        }
    }
}
