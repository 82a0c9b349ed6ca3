package io.keyfleet.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The users an instance must have, as the broker said. Parsing is all or nothing: one invalid field
 * anywhere and the whole answer is refused, because sync acts on it as root.
 */
record Roster(List<User> users) {

    /** One account; {@code uid}/{@code gid} are the fleet UID and its own group's GID, null when the broker gives none. */
    record User(String iamName, String iamUserId, String localName, Integer uid, Integer gid, boolean sudo, List<String> localGroups,
            List<String> keys) {}

    /** Fleet UIDs are above the distribution's system and local ranges, below the 32-bit limit. */
    static final long MIN_FLEET_UID = 1000;
    static final long MAX_FLEET_UID = 2_147_483_646L;

    static final class InvalidRosterException extends Exception {
        InvalidRosterException(String message) {
            super(message);
        }
    }

    Optional<User> user(String localName) {
        return users.stream().filter(u -> u.localName().equals(localName)).findFirst();
    }

    static Roster parse(String json) throws InvalidRosterException {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new InvalidRosterException("not JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("users") instanceof List<?> list)) {
            throw new InvalidRosterException("no users list");
        }
        List<User> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> u)) {
                throw new InvalidRosterException("a user is not an object");
            }
            User user = new User(
                    text(u, "iamName", Names::isIamName),
                    text(u, "iamUserId", Names::isIamId),
                    text(u, "localName", Names::isLocalName),
                    id(u, "uid"),
                    id(u, "gid"),
                    Boolean.TRUE.equals(u.get("sudo")),
                    texts(u, "localGroups", Names::isGroupName),
                    keys(u));
            if (!names.add(user.localName())) {
                throw new InvalidRosterException("user " + user.localName() + " is listed twice");
            }
            users.add(user);
        }
        return new Roster(List.copyOf(users));
    }

    private static String text(Map<?, ?> map, String field, Predicate<String> shape) throws InvalidRosterException {
        if (!(map.get(field) instanceof String s) || !shape.test(s)) {
            throw new InvalidRosterException("field " + field + " is missing or malformed");
        }
        return s;
    }

    private static Integer id(Map<?, ?> map, String field) throws InvalidRosterException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Double d) || d != Math.rint(d) || d < MIN_FLEET_UID || d > MAX_FLEET_UID) {
            throw new InvalidRosterException("field " + field + " is not a whole number in " + MIN_FLEET_UID + ".." + MAX_FLEET_UID);
        }
        return d.intValue();
    }

    private static List<String> texts(Map<?, ?> map, String field, Predicate<String> shape) throws InvalidRosterException {
        if (!(map.get(field) instanceof List<?> list)) {
            throw new InvalidRosterException("field " + field + " is not a list");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || !shape.test(s)) {
                throw new InvalidRosterException("field " + field + " holds a malformed value");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static List<String> keys(Map<?, ?> map) throws InvalidRosterException {
        if (!(map.get("keys") instanceof List<?> list)) {
            throw new InvalidRosterException("field keys is not a list");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || !KeyLines.isValid(s)) {
                throw new InvalidRosterException("a key line is malformed");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }
}
