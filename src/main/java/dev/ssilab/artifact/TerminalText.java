package dev.ssilab.artifact;

/**
 * Text from elsewhere (a mirror's MANIFEST, its HTTP answers) made safe to print: control characters
 * (escape sequences could move the cursor, retitle or clear the terminal, hide the real message) and
 * invisible formatting characters (bidi overrides) are shown as hex escapes (backslash, x, two digits; or backslash, u, four digits).
 */
final class TerminalText {
    private TerminalText() {}

    static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unsafe = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || c == '\u2028' || c == '\u2029';
            if (unsafe && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (!unsafe) {
                    sb.append(c);
                } else if (c < 0x100) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
