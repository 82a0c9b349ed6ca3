package io.keyfleet.client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Talks to the broker as this instance. The identity document is read from IMDS once and kept on
 * disk (it only changes when the instance stops and starts); on a 401 it is read afresh and the
 * request retried once.
 */
final class BrokerSession {

    private final Broker broker;
    private final Imds imds;
    private final Path identityFile;
    private final Clock clock;

    BrokerSession(ClientConfig config, Path identityFile, Clock clock) {
        this.broker = new Broker(config);
        this.imds = new Imds(config.imdsEndpoint());
        this.identityFile = identityFile;
        this.clock = clock;
    }

    /** The instance id this session speaks for. */
    String instanceId(Deadline deadline) throws Failure {
        return identity(deadline, false).instanceId();
    }

    Http.Response get(String path, Map<String, String> headers, Deadline deadline) throws Failure, IOException {
        Imds.Identity identity = identity(deadline, false);
        Http.Response response = broker.get(path, identity, headers, deadline);
        if (response.status() == 401 && !deadline.expired()) {
            response = broker.get(path, identity(deadline, true), headers, deadline);
        }
        String answeredFor = response.header("Keyfleet-Instance-Id");
        if (response.status() < 400 && !identity.instanceId().equals(answeredFor)) {
            throw new IOException("the broker answered for instance " + answeredFor + ", not " + identity.instanceId());
        }
        return response;
    }

    private Imds.Identity identity(Deadline deadline, boolean fresh) throws Failure {
        if (!fresh) {
            Optional<Imds.Identity> cached = readCached();
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        Imds.Identity identity = imds.identity(deadline);
        try {
            Store.write(identityFile, identity.document() + "\n" + identity.signature() + "\n" + identity.instanceId() + "\n", "rw-------");
        } catch (IOException e) {
            // Not fatal: the next run asks IMDS again.
        }
        return identity;
    }

    private Optional<Imds.Identity> readCached() {
        try {
            return Store.read(identityFile, clock.instant()).map(e -> e.text().split("\n")).filter(p -> p.length == 3)
                    .map(p -> new Imds.Identity(p[0], p[1], p[2]));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
