package io.keyfleet.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The accounts and groups of this machine, read from /etc/passwd, /etc/group and /etc/shadow. */
record LocalAccounts(Map<String, Account> accounts, Set<String> groups) {

    /** One account: supplementary groups included; locked when its password field starts with '!'. */
    record Account(String name, int uid, String comment, Set<String> groups, boolean locked) {}

    static LocalAccounts read(Path etc) throws IOException {
        Map<String, Set<String>> groupsOf = new HashMap<>();
        Set<String> groupNames = new TreeSet<>();
        Map<String, String> primaryGroupByGid = new HashMap<>();
        for (String line : lines(etc.resolve("group"))) {
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                continue;
            }
            groupNames.add(f[0]);
            primaryGroupByGid.put(f[2], f[0]);
            for (String member : f[3].split(",")) {
                if (!member.isEmpty()) {
                    groupsOf.computeIfAbsent(member, m -> new TreeSet<>()).add(f[0]);
                }
            }
        }
        Set<String> locked = new HashSet<>();
        for (String line : lines(etc.resolve("shadow"))) {
            String[] f = line.split(":", -1);
            if (f.length > 1 && f[1].startsWith("!")) {
                locked.add(f[0]);
            }
        }
        Map<String, Account> accounts = new TreeMap<>();
        for (String line : lines(etc.resolve("passwd"))) {
            String[] f = line.split(":", -1);
            if (f.length < 7) {
                continue;
            }
            try {
                accounts.put(f[0], new Account(f[0], Integer.parseInt(f[2]), f[4],
                        Set.copyOf(groupsOf.getOrDefault(f[0], Set.of())), locked.contains(f[0])));
            } catch (NumberFormatException e) {
                // A line we cannot read is an account we do not touch.
            }
        }
        return new LocalAccounts(accounts, groupNames);
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
