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
    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

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
        // A port that is not digits (":-1", ":http") leaves java.net.URI without a host at all.
        Matcher bad = Pattern.compile(":([^:\\]]*)$").matcher(authority);
        if (bad.find() && !bad.group(1).matches("\\d*")) {
            throw new UserError(what + " '" + url.strip() + "' has port '" + bad.group(1)
                    + "', which cannot exist (ports are 1 to 65535; 'ssilab mirror serve' prints the URL to use)");
        }
        Matcher m = PORT.matcher(authority);
        if (!m.find()) {
            return;
        }
        String digits = m.group(1);
        if (digits.length() > 5 || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
            throw new UserError(what + " '" + url.strip() + "' has port " + digits
                    + ", which cannot exist (ports are 1 to 65535; 'ssilab mirror serve' prints the URL to use)");
        }
    }
}
