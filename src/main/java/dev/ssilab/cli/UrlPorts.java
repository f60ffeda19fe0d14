package dev.ssilab.cli;

import dev.ssilab.state.UserError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a URL whose port cannot exist (http://127.0.0.1:99999/x) before it reaches the HTTP client,
 * which otherwise fails deep inside with "port out of range:99999" and no word of which URL it was.
 */
final class UrlPorts {
    /** What follows the authority's last colon: not a user:password@ part, not inside an IPv6 address's brackets. */
    private static final Pattern PORT = Pattern.compile(":([^:@\\]]*)$");

    private UrlPorts() {}

    /** @param what what the URL was given as, for the message ("URL", "--mirror URL", "SSILAB_MIRROR URL") */
    static void check(String url, String what) {
        String authority;
        try {
            authority = new URI(url.strip()).getRawAuthority();
        } catch (URISyntaxException e) {
            return; // malformed in some other way: the download layer names that itself
        }
        if (authority == null) {
            return;
        }
        Matcher m = PORT.matcher(authority);
        if (!m.find() || m.group(1).isEmpty()) {
            return;
        }
        String port = m.group(1);
        // A port that is not digits (":-1", ":http") leaves java.net.URI without a host at all.
        if (!port.matches("\\d+")) {
            throw new UserError(what + " '" + url.strip() + "' has port '" + port
                    + "', which cannot exist (ports are 1 to 65535; 'ssilab mirror serve' prints the URL to use)");
        }
        if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new UserError(what + " '" + url.strip() + "' has port " + port
                    + ", which cannot exist (ports are 1 to 65535; 'ssilab mirror serve' prints the URL to use)");
        }
    }
}
