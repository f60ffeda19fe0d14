package dev.ssilab.cluster.uml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster network: a learning Ethernet switch on 127.0.0.1 speaking UML's l2tpv3-over-UDP transport.
 *
 * <p>One datagram per frame: {@code 00 03 00 00}, the 32-bit big-endian session id, then the frame.
 * Node N sends and expects session N, so the switch rewrites the id for each receiver. Only registered
 * node ports are served: the switch is no relay for anything else on the host.
 */
final class L2tpSwitch implements AutoCloseable {
    private static final int HEADER = 8;
    private final DatagramChannel channel;
    private final Thread thread;
    /** node -> the UDP port its kernel listens on */
    private final Map<Integer, Integer> ports = new ConcurrentHashMap<>();
    /** source MAC (as long) -> node */
    private final Map<Long, Integer> macs = new ConcurrentHashMap<>();

    L2tpSwitch() {
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the cluster switch's UDP port on 127.0.0.1", e);
        }
        thread = new Thread(this::run, "uml-switch");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers node N's port up front: an idle node sends nothing, but must receive broadcasts. */
    void attach(int node, int port) {
        ports.put(node, port);
    }

    void detach(int node) {
        ports.remove(node);
        macs.values().removeIf(n -> n == node);
    }

    /** A free UDP port on 127.0.0.1 for a node's end of the link. */
    static int freePort() {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
            c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                buf.flip();
                if (from == null || buf.remaining() < HEADER + 14 || !from.getAddress().isLoopbackAddress()) {
                    continue;
                }
                Integer src = nodeOf(from.getPort());
                if (src == null) {
                    continue;
                }
                long dstMac = mac(buf, HEADER);
                long srcMac = mac(buf, HEADER + 6);
                macs.put(srcMac, src);
                boolean group = (buf.get(HEADER) & 1) != 0;
                Integer dst = group ? null : macs.get(dstMac);
                if (dst != null) {
                    if (!dst.equals(src)) {
                        forward(buf, dst);
                    }
                } else {
                    for (int node : ports.keySet()) {
                        if (node != src) {
                            forward(buf, node);
                        }
                    }
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // one bad datagram (e.g. ICMP port unreachable from a dead node): keep switching
            }
        }
    }

    private void forward(ByteBuffer frame, int node) throws IOException {
        Integer port = ports.get(node);
        if (port == null) {
            return;
        }
        ByteBuffer out = frame.duplicate();
        out.position(0);
        ByteBuffer copy = ByteBuffer.allocate(out.remaining()).put(out);
        copy.putInt(4, node);
        copy.flip();
        channel.send(copy, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private Integer nodeOf(int port) {
        for (Map.Entry<Integer, Integer> e : ports.entrySet()) {
            if (e.getValue() == port) {
                return e.getKey();
            }
        }
        return null;
    }

    private static long mac(ByteBuffer b, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b.get(at + i) & 0xff);
        }
        return v;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        thread.interrupt();
    }
}
