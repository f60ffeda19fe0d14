package dev.ssilab.cluster.uml;

import sun.misc.Signal;

/**
 * Makes SIGHUP harmless to this JVM. The cluster manager runs in a session of its own with no
 * terminal; the first node console it opens (a host pty, see {@link PtsConsole}) becomes its
 * controlling terminal, and when that node's kernel dies the pty hangs up and the kernel sends the
 * session SIGHUP, which would otherwise end the manager and every other node with it. Java cannot open
 * a file with O_NOCTTY, so the signal is what is dealt with.
 */
final class IgnoreHangup {
    private static boolean installed;

    private IgnoreHangup() {}

    static synchronized void install() {
        if (!installed) {
            Signal.handle(new Signal("HUP"), signal -> { });
            installed = true;
        }
    }
}
