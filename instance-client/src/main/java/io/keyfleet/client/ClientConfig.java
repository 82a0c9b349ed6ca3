package io.keyfleet.client;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /etc/keyfleet/client.conf}: {@code key = value} lines, {@code #} comments. Every key has a
 * default but {@code broker-url}; every bad value is an error naming the line.
 */
record ClientConfig(
        URI brokerUrl,
        Path caBundle,
        Duration connectTimeout,
        Duration requestTimeout,
        URI imdsEndpoint,
        Path cacheDir,
        Path stateDir,
        Duration recentAnswerMaxAge,
        Duration offlineMaxAge,
        RemovalMode removalMode,
        int removalGuard,
        int uidMin,
        int uidMax,
        String markerGroup,
        String shell,
        Path sudoersFile) {

    static final Path DEFAULT_PATH = Path.of("/etc/keyfleet/client.conf");

    enum RemovalMode { LOCK, DELETE }

    private static final Set<String> KEYS = Set.of("broker-url", "ca-bundle", "connect-timeout", "request-timeout", "imds-endpoint",
            "cache-dir", "state-dir", "recent-answer-max-age", "offline-max-age", "removal-mode", "removal-guard", "uid-min",
            "uid-max", "marker-group", "shell", "sudoers-file");

    static ClientConfig load(Path file) throws Failure {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, file + ": no such file; run 'keyfleet install' or write it (see README)");
        } catch (IOException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    static ClientConfig parse(String source, String text) throws Failure {
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            int equals = content.indexOf('=');
            if (equals <= 0) {
                throw bad(source, number, "expected 'key = value', got '" + content + "'");
            }
            String key = content.substring(0, equals).strip();
            if (!KEYS.contains(key)) {
                throw bad(source, number, "unknown key '" + key + "'");
            }
            if (values.put(key, content.substring(equals + 1).strip()) != null) {
                throw bad(source, number, "'" + key + "' is set twice");
            }
            lines.put(key, number);
        }
        Reader r = new Reader(source, values, lines);
        URI broker = r.uri("broker-url", null);
        if (!"https".equals(broker.getScheme())) {
            throw r.bad("broker-url", "must be an https:// URL");
        }
        ClientConfig config = new ClientConfig(
                broker,
                r.path("ca-bundle", "/etc/keyfleet/broker-ca.pem"),
                r.duration("connect-timeout", "1s"),
                r.duration("request-timeout", "2500ms"),
                r.uri("imds-endpoint", "http://169.254.169.254"),
                r.path("cache-dir", "/var/cache/keyfleet"),
                r.path("state-dir", "/var/lib/keyfleet"),
                r.duration("recent-answer-max-age", "10s"),
                r.duration("offline-max-age", "6h"),
                r.removalMode(),
                r.integer("removal-guard", "10", 0, 100_000),
                r.integer("uid-min", "2000", 1000, Integer.MAX_VALUE),
                r.integer("uid-max", "59999", 1000, Integer.MAX_VALUE),
                r.group("marker-group", "keyfleet-users"),
                r.value("shell", "/bin/bash"),
                r.path("sudoers-file", "/etc/sudoers.d/keyfleet"));
        if (config.uidMax() <= config.uidMin()) {
            throw r.bad("uid-max", "must be above uid-min " + config.uidMin());
        }
        if (config.connectTimeout().plus(config.requestTimeout()).compareTo(Duration.ofSeconds(10)) > 0) {
            throw r.bad("request-timeout", "connect-timeout + request-timeout above 10s would hold sshd too long");
        }
        return config;
    }

    private static Failure bad(String source, int line, String message) {
        return new Failure(Failure.UNEXPECTED_STATE, source + ":" + line + ": " + message);
    }

    private record Reader(String source, Map<String, String> values, Map<String, Integer> lines) {

        String value(String key, String fallback) throws Failure {
            String v = values.getOrDefault(key, fallback);
            if (v == null || v.isEmpty()) {
                throw new Failure(Failure.UNEXPECTED_STATE, source + ": '" + key + "' must be set");
            }
            return v;
        }

        Failure bad(String key, String message) {
            Integer line = lines.get(key);
            return new Failure(Failure.UNEXPECTED_STATE, source + (line == null ? "" : ":" + line) + ": " + key + ": " + message);
        }

        URI uri(String key, String fallback) throws Failure {
            try {
                URI uri = new URI(value(key, fallback));
                if (uri.getHost() == null) {
                    throw bad(key, "not an absolute URL with a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw bad(key, "not a URL: " + e.getMessage());
            }
        }

        Path path(String key, String fallback) throws Failure {
            Path path = Path.of(value(key, fallback));
            if (!path.isAbsolute()) {
                throw bad(key, "must be an absolute path");
            }
            return path;
        }

        Duration duration(String key, String fallback) throws Failure {
            String text = value(key, fallback);
            int digits = 0;
            while (digits < text.length() && digits < 9 && Names.isDigit(text.charAt(digits))) {
                digits++;
            }
            String unit = text.substring(digits);
            if (digits == 0 || digits == text.length()) {
                throw bad(key, "expected a duration like 500ms, 3s, 10m, 6h or 1d");
            }
            long n = Long.parseLong(text.substring(0, digits));
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw bad(key, "expected a duration like 500ms, 3s, 10m, 6h or 1d");
            };
        }

        int integer(String key, String fallback, int min, int max) throws Failure {
            try {
                int n = Integer.parseInt(value(key, fallback));
                if (n < min || n > max) {
                    throw bad(key, "must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, "not a whole number");
            }
        }

        String group(String key, String fallback) throws Failure {
            String g = value(key, fallback);
            if (!Names.isGroupName(g)) {
                throw bad(key, "not a valid group name");
            }
            return g;
        }

        RemovalMode removalMode() throws Failure {
            return switch (value("removal-mode", "lock")) {
                case "lock" -> RemovalMode.LOCK;
                case "delete" -> RemovalMode.DELETE;
                default -> throw bad("removal-mode", "must be 'lock' or 'delete'");
            };
        }
    }
}
