package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final String SHA = "a".repeat(64);

    @Test
    void formatIsSortedShaSizeNameLinesAndParsesBack() {
        Manifest m = new Manifest(List.of(new ManifestEntry("zeta.tar.bz2", 5, SHA), new ManifestEntry("alpha.bz2", 7, SHA)));
        String text = m.format();
        assertTrue(text.endsWith(SHA + "  7  alpha.bz2\n" + SHA + "  5  zeta.tar.bz2\n"), text);
        assertEquals(m, Manifest.parse(text, "test"));
        assertEquals(7, m.find("alpha.bz2").orElseThrow().size());
    }

    @Test
    void badLinesAreOneClearErrorWithTheLineNumber() {
        ArtifactException e = assertThrows(ArtifactException.class, () -> Manifest.parse("# c\n" + SHA + "  x  a\n", "M"));
        assertTrue(e.getMessage().startsWith("bad MANIFEST M line 2"), e.getMessage());
        assertThrows(ArtifactException.class, () -> Manifest.parse(SHA + "  1  ../etc/passwd\n", "M"));
        assertThrows(ArtifactException.class, () -> Manifest.parse("abc  1  a\n", "M"));
    }
}
