package io.keyfleet.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM (and STS AssumeRole) endpoint on loopback that speaks the real query protocol: form-encoded
 * {@code Action} requests in, IAM's XML out, IAM's error XML and status codes, Marker/IsTruncated
 * pagination. The real AWS SDK client talks to it through {@code quarkus.iam.endpoint-override}.
 *
 * <p>Tests shape its state (users, groups, keys), cap its page size, count calls per action,
 * throttle above a request rate and inject faults (throttling, 500s, slow answers, a failure on page
 * N of an action).
 */
public final class IamEmulator implements AutoCloseable {

    private static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String DATE = "2024-01-15T10:00:00Z";
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([A-Z0-9]+)/");

    /** What an injected fault does to a request. */
    public enum FaultKind { THROTTLE, SERVER_ERROR, DELAY }

    private record Fault(String action, int page, FaultKind kind, Duration delay, AtomicInteger remaining) {}

    private static final class User {
        final String name;
        final String id;
        final Map<String, Key> keys = new LinkedHashMap<>();

        User(String name, String id) {
            this.name = name;
            this.id = id;
        }
    }

    private record Key(String id, String body, String status) {}

    private record Group(String name, String id, Set<String> members) {}

    private record Ec2Instance(String state, Map<String, String> tags) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Ec2Instance> instances = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicInteger throttled = new AtomicInteger();
    private final List<String> accessKeysSeen = new ArrayList<>();
    private volatile int maxPageSize = 100;
    private volatile double throttleRate = 0;
    private long throttleNextSlotNanos = System.nanoTime();
    private volatile String assumedAccessKey;

    public IamEmulator() throws IOException {
        // Without it the JDK server's delayed ACKs add ~40 ms to every keep-alive request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ----- state, as an IAM administrator would change it

    public synchronized String addUser(String name) {
        String id = "AIDA" + String.format("%017d", ids.incrementAndGet());
        users.put(name.toLowerCase(Locale.ROOT), new User(name, id));
        return id;
    }

    public synchronized void deleteUser(String name) {
        users.remove(name.toLowerCase(Locale.ROOT));
        groups.values().forEach(g -> g.members().remove(name.toLowerCase(Locale.ROOT)));
    }

    /** Renames a user and keeps its id, as {@code iam update-user --new-user-name} does. */
    public synchronized void renameUser(String name, String newName) {
        User old = users.remove(name.toLowerCase(Locale.ROOT));
        User renamed = new User(newName, old.id);
        renamed.keys.putAll(old.keys);
        users.put(newName.toLowerCase(Locale.ROOT), renamed);
        for (Group g : groups.values()) {
            if (g.members().remove(name.toLowerCase(Locale.ROOT))) {
                g.members().add(newName.toLowerCase(Locale.ROOT));
            }
        }
    }

    public synchronized String addKey(String userName, String body) {
        String id = "APKA" + String.format("%017d", ids.incrementAndGet());
        user(userName).keys.put(id, new Key(id, body, "Active"));
        return id;
    }

    public synchronized void setKeyStatus(String userName, String keyId, String status) {
        User user = user(userName);
        Key key = user.keys.get(keyId);
        user.keys.put(keyId, new Key(keyId, key.body(), status));
    }

    public synchronized void deleteKey(String userName, String keyId) {
        user(userName).keys.remove(keyId);
    }

    public synchronized void addGroup(String name) {
        groups.putIfAbsent(name, new Group(name, "AGPA" + String.format("%017d", ids.incrementAndGet()), new LinkedHashSet<>()));
    }

    public synchronized void addToGroup(String group, String userName) {
        addGroup(group);
        groups.get(group).members().add(userName.toLowerCase(Locale.ROOT));
    }

    public synchronized void removeFromGroup(String group, String userName) {
        groups.get(group).members().remove(userName.toLowerCase(Locale.ROOT));
    }

    /** An EC2 instance as DescribeInstances reports it (state: running, stopped, terminated…). */
    public synchronized void putInstance(String instanceId, String state, Map<String, String> tags) {
        instances.put(instanceId, new Ec2Instance(state, Map.copyOf(tags)));
    }

    /** Forgets all users, groups, instances, faults, counts and limits. */
    public synchronized void reset() {
        users.clear();
        groups.clear();
        instances.clear();
        faults.clear();
        resetCounts();
        accessKeysSeen.clear();
        maxPageSize = 100;
        throttleRate = 0;
    }

    private User user(String name) {
        User user = users.get(name.toLowerCase(Locale.ROOT));
        if (user == null) {
            throw new IllegalArgumentException("no user " + name);
        }
        return user;
    }

    // ----- behaviour

    /** The most items any page holds, whatever MaxItems asks, so small tests page a lot. */
    public void maxPageSize(int size) {
        this.maxPageSize = size;
    }

    /** Answers Throttling to requests above this rate (per second); 0 turns throttling off. */
    public synchronized void throttleAbove(double requestsPerSecond) {
        this.throttleRate = requestsPerSecond;
        this.throttleNextSlotNanos = System.nanoTime();
    }

    /** The next {@code times} requests for {@code action} (null: any) fail as {@code kind}. */
    public synchronized void failNext(String action, FaultKind kind, int times) {
        faults.add(new Fault(action, 0, kind, Duration.ZERO, new AtomicInteger(times)));
    }

    /** Every request for page {@code page} (1-based) of {@code action} fails as {@code kind}. */
    public synchronized void failOnPage(String action, int page, FaultKind kind) {
        faults.add(new Fault(action, page, kind, Duration.ZERO, new AtomicInteger(Integer.MAX_VALUE)));
    }

    /** The next {@code times} requests for {@code action} answer only after {@code delay}. */
    public synchronized void delayNext(String action, Duration delay, int times) {
        faults.add(new Fault(action, 0, FaultKind.DELAY, delay, new AtomicInteger(times)));
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    public int calls(String action) {
        AtomicInteger count = calls.get(action);
        return count == null ? 0 : count.get();
    }

    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public Map<String, Integer> callsByAction() {
        Map<String, Integer> copy = new HashMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Requests answered with Throttling, injected or because of {@link #throttleAbove}. */
    public int throttledCount() {
        return throttled.get();
    }

    public void resetCounts() {
        calls.clear();
        throttled.set(0);
    }

    /** Access key ids seen in request signatures, in order: shows which credentials signed. */
    public synchronized List<String> accessKeysSeen() {
        return List.copyOf(accessKeysSeen);
    }

    /** The access key id that AssumeRole hands out. */
    public String assumedAccessKey() {
        return assumedAccessKey;
    }

    // ----- protocol

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = params.getOrDefault("Action", "");
            calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
            recordAccessKey(exchange.getRequestHeaders().getFirst("Authorization"));
            int page = pageNumber(params);
            Fault fault = takeFault(action, page);
            if (fault != null && fault.kind() == FaultKind.DELAY) {
                sleep(fault.delay());
                fault = null;
            }
            Answer answer;
            if (fault != null) {
                answer = fault.kind() == FaultKind.THROTTLE ? throttled() : error(500, "Receiver", "ServiceFailure", "injected failure");
            } else if (overRate()) {
                answer = throttled();
            } else {
                answer = answer(action, params);
            }
            byte[] body = answer.xml().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Answer(int status, String xml) {}

    private synchronized Answer answer(String action, Map<String, String> params) {
        return switch (action) {
            case "ListGroups" -> page(action, params, new ArrayList<>(groups.values()), "<Groups>", this::groupXml, "</Groups>");
            case "GetGroup" -> getGroup(params);
            case "ListGroupsForUser" -> listGroupsForUser(params);
            case "ListSSHPublicKeys" -> listKeys(params);
            case "GetSSHPublicKey" -> getKey(params);
            case "AssumeRole" -> assumeRole(params);
            case "DescribeInstances" -> describeInstances(params);
            default -> error(400, "Sender", "InvalidAction", "Could not find operation " + action);
        };
    }

    private Answer getGroup(Map<String, String> params) {
        Group group = groups.get(params.get("GroupName"));
        if (group == null) {
            return noSuchEntity("The group with name " + params.get("GroupName") + " cannot be found.");
        }
        List<User> members = group.members().stream().map(users::get).filter(u -> u != null).toList();
        return page("GetGroup", params, members, "<Group>" + groupXml(group) + "</Group><Users>", this::userXml, "</Users>");
    }

    private Answer listGroupsForUser(Map<String, String> params) {
        User user = users.get(params.getOrDefault("UserName", "").toLowerCase(Locale.ROOT));
        if (user == null) {
            return noSuchEntity("The user with name " + params.get("UserName") + " cannot be found.");
        }
        String key = user.name.toLowerCase(Locale.ROOT);
        List<Group> memberOf = groups.values().stream().filter(g -> g.members().contains(key)).toList();
        return page("ListGroupsForUser", params, memberOf, "<Groups>", this::groupXml, "</Groups>");
    }

    private Answer listKeys(Map<String, String> params) {
        User user = users.get(params.getOrDefault("UserName", "").toLowerCase(Locale.ROOT));
        if (user == null) {
            return noSuchEntity("The user with name " + params.get("UserName") + " cannot be found.");
        }
        return page("ListSSHPublicKeys", params, new ArrayList<>(user.keys.values()), "<SSHPublicKeys>",
                k -> "<UserName>" + xml(user.name) + "</UserName><SSHPublicKeyId>" + k.id() + "</SSHPublicKeyId><Status>"
                        + k.status() + "</Status><UploadDate>" + DATE + "</UploadDate>",
                "</SSHPublicKeys>");
    }

    private Answer getKey(Map<String, String> params) {
        User user = users.get(params.getOrDefault("UserName", "").toLowerCase(Locale.ROOT));
        Key key = user == null ? null : user.keys.get(params.get("SSHPublicKeyId"));
        if (key == null) {
            return noSuchEntity("The Public Key with id " + params.get("SSHPublicKeyId") + " cannot be found.");
        }
        if (!"SSH".equals(params.get("Encoding"))) {
            return error(400, "Sender", "UnrecognizedPublicKeyEncoding", "only SSH encoding is emulated");
        }
        return ok("GetSSHPublicKey", "<SSHPublicKey><UserName>" + xml(user.name) + "</UserName><SSHPublicKeyId>" + key.id()
                + "</SSHPublicKeyId><Fingerprint>00:11</Fingerprint><SSHPublicKeyBody>" + xml(key.body())
                + "</SSHPublicKeyBody><Status>" + key.status() + "</Status><UploadDate>" + DATE + "</UploadDate></SSHPublicKey>");
    }

    private Answer assumeRole(Map<String, String> params) {
        assumedAccessKey = "ASIA" + String.format("%016d", ids.incrementAndGet());
        String body = "<AssumeRoleResponse xmlns=\"" + STS_NS + "\"><AssumeRoleResult><Credentials><AccessKeyId>"
                + assumedAccessKey + "</AccessKeyId><SecretAccessKey>emulated-secret</SecretAccessKey><SessionToken>emulated-token"
                + "</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>"
                + xml(params.get("RoleArn")) + "/" + xml(params.get("RoleSessionName")) + "</Arn><AssumedRoleId>AROAEMULATED:"
                + xml(params.get("RoleSessionName")) + "</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
        return new Answer(200, body);
    }

    /** EC2's own query dialect: lower-case elements, item lists, its own error shape. */
    private Answer describeInstances(Map<String, String> params) {
        String id = params.get("InstanceId.1");
        Ec2Instance instance = instances.get(id);
        if (instance == null) {
            return new Answer(400, "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID '"
                    + xml(id) + "' does not exist</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>");
        }
        StringBuilder tags = new StringBuilder();
        instance.tags().forEach((k, v) -> tags.append("<item><key>").append(xml(k)).append("</key><value>").append(xml(v)).append("</value></item>"));
        int code = switch (instance.state()) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            default -> 80;
        };
        return new Answer(200, "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" + UUID.randomUUID()
                + "</requestId><reservationSet><item><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId>"
                + "<instancesSet><item><instanceId>" + xml(id) + "</instanceId><instanceState><code>" + code + "</code><name>"
                + instance.state() + "</name></instanceState><tagSet>" + tags + "</tagSet></item></instancesSet></item></reservationSet>"
                + "</DescribeInstancesResponse>");
    }

    /** One page of {@code items}, starting at the Marker, IAM-style. */
    private <T> Answer page(String action, Map<String, String> params, List<T> items, String open, Function<T, String> member,
            String close) {
        int start = params.containsKey("Marker") ? Integer.parseInt(params.get("Marker").substring(1)) : 0;
        int size = Math.min(maxPageSize, Integer.parseInt(params.getOrDefault("MaxItems", "100")));
        int end = Math.min(items.size(), start + size);
        StringBuilder result = new StringBuilder(open);
        for (T item : items.subList(Math.min(start, items.size()), end)) {
            result.append("<member>").append(member.apply(item)).append("</member>");
        }
        result.append(close);
        boolean truncated = end < items.size();
        result.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            result.append("<Marker>m").append(end).append("</Marker>");
        }
        return ok(action, result.toString());
    }

    private String userXml(User u) {
        return "<Path>/</Path><UserName>" + xml(u.name) + "</UserName><UserId>" + u.id + "</UserId><Arn>arn:aws:iam::123456789012:user/"
                + xml(u.name) + "</Arn><CreateDate>" + DATE + "</CreateDate>";
    }

    private String groupXml(Group g) {
        return "<Path>/</Path><GroupName>" + xml(g.name()) + "</GroupName><GroupId>" + g.id() + "</GroupId><Arn>arn:aws:iam::123456789012:group/"
                + xml(g.name()) + "</Arn><CreateDate>" + DATE + "</CreateDate>";
    }

    private static Answer ok(String action, String result) {
        return new Answer(200, "<" + action + "Response xmlns=\"" + IAM_NS + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private static Answer noSuchEntity(String message) {
        return error(404, "Sender", "NoSuchEntity", message);
    }

    private Answer throttled() {
        throttled.incrementAndGet();
        return error(400, "Sender", "Throttling", "Rate exceeded");
    }

    private static Answer error(int status, String type, String code, String message) {
        return new Answer(status, "<ErrorResponse xmlns=\"" + IAM_NS + "\"><Error><Type>" + type + "</Type><Code>" + code
                + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private synchronized Fault takeFault(String action, int page) {
        for (Fault f : faults) {
            boolean matches = (f.action() == null || f.action().equals(action)) && (f.page() == 0 || f.page() == page);
            if (matches && f.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return f;
            }
        }
        return null;
    }

    private synchronized boolean overRate() {
        if (throttleRate <= 0) {
            return false;
        }
        long now = System.nanoTime();
        long interval = (long) (1e9 / throttleRate);
        // A one-second bucket, like a service that tolerates short bursts up to its rate.
        if (throttleNextSlotNanos < now - 1_000_000_000L) {
            throttleNextSlotNanos = now - 1_000_000_000L;
        }
        if (throttleNextSlotNanos > now) {
            return true;
        }
        throttleNextSlotNanos += interval;
        return false;
    }

    /** 1-based page number from the Marker this request carries, given the current page size. */
    private int pageNumber(Map<String, String> params) {
        String marker = params.get("Marker");
        if (marker == null) {
            return 1;
        }
        int size = Math.min(maxPageSize, Integer.parseInt(params.getOrDefault("MaxItems", "100")));
        return Integer.parseInt(marker.substring(1)) / size + 1;
    }

    private synchronized void recordAccessKey(String authorization) {
        if (authorization != null) {
            Matcher m = ACCESS_KEY.matcher(authorization);
            if (m.find()) {
                accessKeysSeen.add(m.group(1));
            }
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> params = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String xml(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
