package io.keyfleet.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the system's own tools (useradd, visudo, sshd -t, systemctl) with a bound and their output kept. */
final class Processes {

    record Result(int exit, String output) {}

    private Processes() {}

    static Result run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command[0] + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command[0] + " interrupted", e);
        }
        return new Result(process.exitValue(), output);
    }

    /** Runs the command and turns a non-zero exit into an error that quotes its output. */
    static void require(String... command) throws IOException {
        Result result = run(command);
        if (result.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exit() + "): " + result.output());
        }
    }
}
