package io.keyfleet.directory;

import io.keyfleet.directory.file.FileDirectorySource;
import io.keyfleet.directory.iam.IamDirectorySource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the configured {@link DirectorySource} (the IAM client is only built when IAM is used) and
 * the one name mapping that crawls and login revalidation share.
 */
@ApplicationScoped
public class DirectorySources {

    @Produces
    @ApplicationScoped
    SnapshotAssembler assembler(DirectoryConfig config, UidConfig uids) {
        return new SnapshotAssembler(new LocalNames(config.reservedNames().orElse(Set.of()))::localName,
                uids.enabled() ? Optional.of(new UidAllocator(uids.rangeStart(), uids.rangeSize(), uids.pinned())) : Optional.empty());
    }

    @Produces
    @ApplicationScoped
    DirectorySource source(DirectoryConfig config, Instance<IamDirectorySource> iam) {
        return switch (config.source()) {
            case IAM -> iam.get();
            case FILE -> new FileDirectorySource(config.file().orElseThrow(() -> new IllegalStateException(
                    "keyfleet.directory.source=file needs keyfleet.directory.file, the path of the YAML directory")));
        };
    }
}
