package io.keyfleet.directory;

import io.keyfleet.directory.file.FileDirectorySource;
import io.keyfleet.directory.iam.IamDirectorySource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Chooses the configured {@link DirectorySource}; the IAM client is only built when IAM is used. */
@ApplicationScoped
public class DirectorySources {

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
