package dev.ssilab.artifact;

/** A failure of one mirror: the next one is tried. Its message is the short reason. */
final class MirrorFailure extends Exception {
    MirrorFailure(String reason) {
        super(TerminalText.printable(reason), null, false, false); // reasons quote what the server sent
    }
}
