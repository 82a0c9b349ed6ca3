package io.keyfleet.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code keyfleet authorized-keys USER}, run by sshd for every key a login offers. stdout is sshd's:
 * only validated key lines go there. The answer comes from, in order: a very recent answer (sshd
 * asks several times per login), the broker, and — only when the broker cannot answer — the last
 * answers and the roster kept on disk while younger than {@code offline-max-age}. With nothing
 * fresh enough it prints nothing and fails: no key is better than a revoked one.
 */
final class AuthorizedKeysCommand {

    /** The longest sshd is ever held, whatever the broker does. */
    static final Duration BUDGET = Duration.ofMillis(3000);
    private static final String ALLOWED = "allowed";
    private static final String DENIED = "denied";

    private final ClientConfig config;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    AuthorizedKeysCommand(ClientConfig config, Clock clock, PrintStream out, PrintStream err) {
        this.config = config;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    int run(String user) throws Failure {
        if (!Names.isLocalName(user)) {
            throw new Failure(Failure.USAGE, "not a user name Keyfleet manages: " + Names.printable(user));
        }
        Deadline deadline = Deadline.in(BUDGET);
        Path answerFile = config.cacheDir().resolve("answers").resolve(user);
        Optional<Store.Entry> recent = read(answerFile);
        if (recent.isPresent() && recent.get().age().compareTo(config.recentAnswerMaxAge()) <= 0 && print(recent.get().text())) {
            return 0;
        }
        try {
            BrokerSession session = new BrokerSession(config, config.cacheDir().resolve("identity"), clock);
            Http.Response response = session.get("v1/users/" + user + "/authorized-keys", Map.of(), deadline);
            String answer = switch (response.status()) {
                case 200 -> ALLOWED + "\n" + validLines(response.body());
                case 403, 404 -> DENIED + "\n";
                default -> throw new IOException("broker answered HTTP " + response.status());
            };
            remember(answerFile, answer);
            print(answer);
            return 0;
        } catch (IOException | Failure e) {
            err.println("keyfleet: broker unavailable for " + user + " (" + e.getMessage() + "); trying the local cache");
        }
        return offline(user, recent);
    }

    /** The broker could not answer: the freshest local knowledge within offline-max-age, else nothing. */
    private int offline(String user, Optional<Store.Entry> answer) throws Failure {
        Optional<Store.Entry> roster = read(config.stateDir().resolve("roster.json"));
        Store.Entry best = null;
        String text = null;
        if (answer.isPresent() && answer.get().age().compareTo(config.offlineMaxAge()) <= 0) {
            best = answer.get();
            text = best.text();
        }
        if (roster.isPresent() && roster.get().age().compareTo(config.offlineMaxAge()) <= 0
                && (best == null || roster.get().age().compareTo(best.age()) < 0)) {
            try {
                Optional<Roster.User> entry = Roster.parse(roster.get().text()).user(user);
                text = entry.map(u -> ALLOWED + "\n" + String.join("\n", u.keys()) + "\n").orElse(DENIED + "\n");
            } catch (Roster.InvalidRosterException e) {
                err.println("keyfleet: cached roster unusable: " + e.getMessage());
            }
        }
        if (text == null || !print(text)) {
            throw new Failure(Failure.UNEXPECTED_STATE, "no answer for " + user + " younger than " + config.offlineMaxAge() + "; refusing");
        }
        return 0;
    }

    /** Prints the key lines of a stored answer; false when the answer is not one this client wrote. */
    private boolean print(String answer) {
        String[] lines = answer.split("\n");
        if (lines.length == 0 || !(lines[0].equals(ALLOWED) || lines[0].equals(DENIED))) {
            return false;
        }
        List<String> keys = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                if (!KeyLines.isValid(lines[i])) {
                    return false;
                }
                keys.add(lines[i]);
            }
        }
        if (lines[0].equals(ALLOWED)) {
            for (String key : keys) {
                out.println(key);
            }
        }
        out.flush();
        return true;
    }

    private String validLines(String body) throws IOException {
        StringBuilder valid = new StringBuilder();
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (!KeyLines.isValid(line)) {
                throw new IOException("broker sent a line that is not a plain public key");
            }
            valid.append(line).append('\n');
        }
        return valid.toString();
    }

    private void remember(Path file, String answer) {
        try {
            Store.write(file, answer, "rw-------");
        } catch (IOException e) {
            err.println("keyfleet: cannot cache the answer in " + file + ": " + e.getMessage());
        }
    }

    private Optional<Store.Entry> read(Path file) {
        try {
            return Store.read(file, clock.instant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
