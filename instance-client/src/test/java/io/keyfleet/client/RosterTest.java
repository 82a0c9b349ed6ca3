package io.keyfleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RosterTest {

    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC9aUl2fuwnQthu0VJaGg6V36zLX85XWrvoaCuCG+RFQ APKA1";

    static String roster(String usersJson) {
        return "{\"users\":[" + usersJson + "]}";
    }

    static String user(String localName, boolean sudo, String groups, String keys) {
        return "{\"iamName\":\"" + localName + "\",\"iamUserId\":\"AIDA" + localName.toUpperCase().replaceAll("[^A-Z0-9]", "")
                + "\",\"localName\":\"" + localName + "\",\"uid\":1234567,\"gid\":1234567,\"sudo\":" + sudo + ",\"localGroups\":[" + groups + "],\"keys\":[" + keys + "]}";
    }

    @Test
    void parsesTheBrokersRoster() throws Exception {
        Roster roster = Roster.parse(roster(user("alice", true, "\"docker\"", "\"" + ED25519 + "\"") + "," + user("bob", false, "", "")));
        assertEquals(2, roster.users().size());
        Roster.User alice = roster.user("alice").orElseThrow();
        assertTrue(alice.sudo());
        assertEquals(1234567, alice.uid());
        assertEquals(1234567, alice.gid());
        assertEquals(List.of("docker"), alice.localGroups());
        assertEquals(List.of(ED25519), alice.keys());
        assertTrue(roster.user("bob").orElseThrow().keys().isEmpty());
    }

    @Test
    void oneBadFieldAnywhereRefusesTheWholeRoster() {
        String good = user("alice", false, "", "\"" + ED25519 + "\"");
        for (String bad : List.of(
                "not json", "[]", "{}", "{\"users\":{}}",
                roster(good + "," + good),
                roster(user("../etc", false, "", "")),
                roster(user("root;id", false, "", "")),
                roster(user("alice", false, "\"Bad Group\"", "")),
                roster(user("alice", false, "", "\"command=\\\"sh\\\" " + ED25519 + "\"")),
                roster(user("alice", false, "", "\"" + ED25519 + "\\nssh-ed25519 AAAA\"")),
                roster(user("alice", false, "", "\"" + ED25519.replace("APKA1", "a\\u0000b") + "\"")),
                roster(good.replace("1234567", "0")),
                roster(good.replace("1234567", "12.5")),
                roster(good.replace("1234567", "\"1234567\"")),
                roster(good.replace("1234567", "99999999999")),
                roster(good) + "trailing")) {
            assertThrows(Roster.InvalidRosterException.class, () -> Roster.parse(bad), bad);
        }
    }

    @Test
    void keyLinesMustBePlainKeysOfTheirOwnType() {
        assertTrue(KeyLines.isValid(ED25519));
        assertTrue(KeyLines.isValid(ED25519.replace(" APKA1", "")));
        assertFalse(KeyLines.isValid("no-pty " + ED25519));
        assertFalse(KeyLines.isValid(ED25519.replace("ssh-ed25519 ", "ssh-rsa ")), "blob says ed25519");
        assertFalse(KeyLines.isValid(ED25519 + " two comments"));
        assertFalse(KeyLines.isValid(ED25519 + "\n"));
        assertFalse(KeyLines.isValid("ssh-dss AAAAB3NzaC1kc3MAAACBAP"));
        assertFalse(KeyLines.isValid("ssh-ed25519 %%%%%%%%%%%%%%%%%%%%"));
    }

    @Test
    void jsonParserHandlesEscapesAndRefusesGarbage() throws Exception {
        assertEquals(List.of("a\"b", "é", 1.5, true, false), Json.parse("[\"a\\\"b\", \"\\u00e9\", 1.5, true, false]"));
        for (String bad : List.of("", "[", "{\"a\":1,\"a\":2}", "[1,]", "\"\n\"", "[" .repeat(40) + "]".repeat(40), "nul")) {
            assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
        }
    }
}
