package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalNamesTest {

    /** What useradd accepts everywhere we run: portable characters, a letter first, 32 at most. */
    private static final Pattern LINUX_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    private static final Pattern HASHED = Pattern.compile(".*-[0-9a-f]{10}");

    private final LocalNames names = new LocalNames(Set.of("deploy"));

    @ParameterizedTest
    @CsvSource({
        "alice, alice",
        "Alice.Smith, alice.smith",
        "bob+ops, bob.plus.ops",
        "x=y, x.equal.y",
        "'last,first', last.comma.first",
        "carol@example.com, carol.at.example.com",
        "d_e-f, d_e-f",
    })
    void followsTheClassicConvention(String iamName, String expected) {
        assertEquals(Optional.of(expected), names.localName(iamName));
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "ROOT", "ec2-user", "ubuntu", "sshd", "nobody", "systemd-network", "deploy", "Deploy"})
    void neverMapsOntoAReservedOrSystemName(String iamName) {
        String local = names.localName(iamName).orElseThrow();
        assertNotEquals(iamName.toLowerCase(), local);
        assertTrue(HASHED.matcher(local).matches(), local);
        assertTrue(local.startsWith(iamName.toLowerCase()), local);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1alice", "-alice", ".alice", "_alice", "0", "..", "@home", "+"})
    void namesThatCannotStartALinuxNameGetAPrefixAndAHash(String iamName) {
        String local = names.localName(iamName).orElseThrow();
        assertTrue(LINUX_NAME.matcher(local).matches(), local);
        assertTrue(HASHED.matcher(local).matches(), local);
    }

    @Test
    void longNamesAreCutTo32WithAHashThatKeepsThemApart() {
        String a = "a".repeat(64);
        String b = "a".repeat(63) + "b";
        String localA = names.localName(a).orElseThrow();
        String localB = names.localName(b).orElseThrow();
        assertEquals(32, localA.length());
        assertEquals(32, localB.length());
        assertNotEquals(localA, localB);
        assertTrue(LINUX_NAME.matcher(localA).matches());
        assertEquals("a".repeat(32), names.localName("a".repeat(32)).orElseThrow(), "32 characters still fit");
        assertTrue(HASHED.matcher(names.localName("a".repeat(33)).orElseThrow()).matches());
    }

    @Test
    void aNameThatLooksLikeASubstitutionNeverTakesTheSubstitutedNamesAccount() {
        String substituted = names.localName("a+b").orElseThrow();
        String literal = names.localName("a.plus.b").orElseThrow();
        assertEquals("a.plus.b", substituted);
        assertNotEquals(substituted, literal);
        for (String token : new String[] {"a.equal.b", "a.comma.b", "a.at.b", "x.at.y+z"}) {
            assertTrue(HASHED.matcher(names.localName(token).orElseThrow()).matches(), token);
        }
    }

    @Test
    void aNameShapedLikeAHashedNameIsHashedItself() {
        String victim = names.localName("a".repeat(40)).orElseThrow();
        assertNotEquals(victim, names.localName(victim).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice smith", "alice/../root", "ålice", "alice\n", "a;b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refusesWhatIamWouldNotAllow(String iamName) {
        assertEquals(Optional.empty(), names.localName(iamName));
    }

    @Test
    void isStableAndValidAndCollisionFreeAcrossAMixedPopulation() {
        Random random = new Random(42);
        String alphabet = "abcXYZ019+=,.@_-";
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(i % 10 == 0 ? 64 : 12);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String iamName = name.toString();
            String local = names.localName(iamName).orElseThrow();
            assertEquals(local, names.localName(iamName).orElseThrow(), "stable");
            assertTrue(LINUX_NAME.matcher(local).matches(), iamName + " -> " + local);
            String previous = owners.putIfAbsent(local, iamName.toLowerCase());
            assertTrue(previous == null || previous.equals(iamName.toLowerCase()), iamName + " and " + previous + " -> " + local);
        }
    }
}
