package io.keyfleet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints a benchmark's figures and keeps them in target/bench/NAME.txt for bench/RESULTS.md. */
public final class BenchReport {

    private BenchReport() {}

    public static void write(String name, String text) {
        System.out.println("\n=== bench " + name + " ===\n" + text);
        try {
            Path dir = Path.of("target", "bench");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
