package io.keyfleet.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Files the client keeps between runs. Every write goes to a temporary file in the same directory,
 * is flushed to disk, then renamed over the old one: a crash leaves the old file or the new one,
 * never half of either.
 */
final class Store {

    /** A file's text and how old it is. */
    record Entry(String text, Duration age) {}

    private Store() {}

    static void write(Path file, String text, String permissions) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(permissions);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(perms));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, perms); // the umask may have narrowed them
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically", e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static Optional<Entry> read(Path file, Instant now) throws IOException {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            return Optional.of(new Entry(Files.readString(file, StandardCharsets.UTF_8), Duration.between(modified, now)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename itself is still atomic.
        }
    }
}
